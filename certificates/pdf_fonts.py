"""One embedded program per font face in a PDF joined from chunks, and no object stored twice.

Each chunk is its own WeasyPrint document, so it embeds its own subset of every font; joined, the batch carries a
copy per chunk (about half the file). WeasyPrint subsets keeping the original glyph ids, so every chunk's text
addresses glyphs by the ids of the original font: one subset of the original covering the glyphs of all chunks
serves every chunk unchanged. Before any chunk is pointed at it, the original font is subset again to that chunk's
glyphs and must give back the chunk's program byte for byte: this proves that the font file found here is the one
the chunk was rendered with (a worker on another machine may have another version) and that the subsetting is
WeasyPrint's. A font that fails this, or cannot be found, is left as it is: never break a PDF to save bytes.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

logger = logging.getLogger(__name__)

FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
# The tables WeasyPrint 70 drops when it subsets (weasyprint/pdf/fonts.py, Font._harfbuzz_subset).
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def compact_joined(writer: PdfWriter) -> None:
    """Share the font programs of the joined chunks, then store every repeated object (the seal) once."""
    share_font_programs(writer)
    # Also drops the programs no descriptor points at any more: pypdf would otherwise write every object it holds.
    # Twice, because an object becomes identical to another only once what it points at is merged: the seal's image
    # merges on the first pass, the 2,000 forms that draw it on the second (0.8 MB of a 2,000-page batch); a third
    # pass saved 0.6%.
    for _ in range(2):
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)


@dataclass
class _Program:
    """One embedded font program and what uses it."""

    stream: StreamObject
    key: str  # /FontFile, /FontFile2 or /FontFile3
    descriptors: list[DictionaryObject] = field(default_factory=list)
    glyphs: set[int] = field(default_factory=set)
    mergeable: bool = True


def share_font_programs(writer: PdfWriter) -> int:
    """Replace the programs of each font face by one covering all their glyphs; return how many programs went."""
    groups: dict[tuple[str, str], dict[int, _Program]] = defaultdict(dict)
    for font in _type0_fonts(writer):
        _collect(font, groups)
    replaced = 0
    for (_key, name), programs in groups.items():
        candidates = [p for p in programs.values() if p.mergeable]
        if len({_data(p) for p in candidates}) > 1:
            replaced += _merge(name, candidates)
    return replaced


def _type0_fonts(writer: PdfWriter) -> Iterator[DictionaryObject]:
    """Every composite font the pages use, directly or inside form XObjects, each once.

    Each page has its own resource dictionary, naming the same few fonts of its chunk: reading a font's widths once
    per page cost 9 s on 2,000 pages.
    """
    seen: set[int] = set()
    pending = [page.get("/Resources") for page in writer.pages]
    while pending:
        resources = pending.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        if id(resources) in seen:
            continue
        seen.add(id(resources))
        for font in _values(resources.get("/Font")):
            if font.get("/Subtype") == "/Type0" and id(font) not in seen:
                seen.add(id(font))
                yield font
        for xobject in _values(resources.get("/XObject")):
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))


def _values(dictionary) -> Iterator[DictionaryObject]:
    if dictionary is None:
        return
    for value in dictionary.get_object().values():
        value = value.get_object()
        if isinstance(value, DictionaryObject):
            yield value


def _collect(font: DictionaryObject, groups: dict[tuple[str, str], dict[int, _Program]]) -> None:
    descendants = font.get("/DescendantFonts")
    if not descendants:
        return
    cid_font = descendants.get_object()[0].get_object()
    descriptor = cid_font.get("/FontDescriptor")
    if descriptor is None:
        return
    descriptor = descriptor.get_object()
    key = next((k for k in FONT_FILE_KEYS if k in descriptor), None)
    if key is None:
        return
    reference = descriptor.raw_get(key)
    if not isinstance(reference, IndirectObject):
        return
    program = groups[(key, _untagged(descriptor.get("/FontName", "")))].setdefault(
        reference.idnum, _Program(reference.get_object(), key)
    )
    program.descriptors.append(descriptor)
    if "/CIDSet" in descriptor:
        # PDF/A-1 wants the CIDSet to list every glyph of the program: a shared program would outgrow it.
        program.mergeable = False
    glyphs = _width_glyphs(cid_font.get("/W"))
    # With missing glyphs WeasyPrint subsets differently (a .notdef outline) and numbers the missing ones past the
    # font's glyphs; such a chunk keeps its own program.
    if (
        glyphs is None
        or font.get("/Encoding") != "/Identity-H"
        or cid_font.get("/CIDToGIDMap", "/Identity") != "/Identity"
    ):
        program.mergeable = False
    else:
        program.glyphs |= glyphs


def _untagged(name: str) -> str:
    """The font name without the six-letter subset tag: BYMOGM+Noto-Serif-CJK-SC-Bold → Noto-Serif-CJK-SC-Bold."""
    name = str(name).lstrip("/")
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isalpha() and tag.isupper() else name


def _width_glyphs(widths) -> set[int] | None:
    """The glyph ids a CIDFont's /W array lists: WeasyPrint writes a width for every glyph it draws."""
    if widths is None:
        return None
    widths = widths.get_object()
    glyphs: set[int] = set()
    i = 0
    try:
        while i < len(widths):
            first = int(widths[i])
            following = widths[i + 1].get_object()
            if isinstance(following, ArrayObject):
                glyphs.update(range(first, first + len(following)))
                i += 2
            else:
                glyphs.update(range(first, int(following) + 1))
                i += 3
    except (IndexError, TypeError, ValueError):
        return None
    return glyphs or None


def _data(program: _Program) -> bytes:
    return program.stream.get_data()


def _merge(name: str, programs: list[_Program]) -> int:
    """Point the descriptors of `programs` at one program of all their glyphs; return how many programs went."""
    face = _original_face(_data(programs[0]))
    if face is None:
        logger.debug("font %s: the original font cannot be found or subset here; each chunk keeps its program", name)
        return 0
    verified: dict[tuple[bytes, frozenset[int]], bool] = {}  # chunks with the same names embed the same program
    kept = []
    for program in programs:
        data, glyphs = _data(program), frozenset(program.glyphs)
        if (data, glyphs) not in verified:
            verified[data, glyphs] = _subset(face, glyphs) == data
        if verified[data, glyphs]:
            kept.append(program)
        else:
            logger.debug(
                "font %s: a chunk was rendered with another font file or subsetting; it keeps its program", name
            )
    if len(kept) < 2:
        return 0
    union = _subset(face, set().union(*(p.glyphs for p in kept)))
    target = kept[0].stream
    if union is None or not _replace_data(target, union):
        return 0
    for program in kept[1:]:
        for descriptor in program.descriptors:
            descriptor[NameObject(program.key)] = target.indirect_reference
    return len(kept) - 1


def _replace_data(stream: StreamObject, data: bytes) -> bool:
    """Put `data` into the stream, compressed as before; False for a filter pypdf cannot write."""
    if "/DecodeParms" in stream or stream.get("/Filter") not in (None, "/FlateDecode"):
        return False
    stream.set_data(data)
    if "/Length1" in stream:  # a TrueType program's uncompressed length
        stream[NameObject("/Length1")] = NumberObject(len(data))
    return True


# HarfBuzz and fontconfig through WeasyPrint's bindings, so that the subset comes from the same libraries as the
# chunks'. These few functions are missing from its declarations; cffi accepts a declaration repeated identically.
_EXTRA_DECLARATIONS = """
    hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    FcResult FcPatternGetInteger (FcPattern *p, const char *object, int n, int *i);
"""


@cache
def _bindings():
    """WeasyPrint's cffi handle and libraries with the extra declarations, or None without HarfBuzz subsetting."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig, harfbuzz, harfbuzz_subset
    except (ImportError, OSError, AttributeError):
        return None
    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        # Without it WeasyPrint subsets with fontTools, which writes other bytes, and the project refuses to render.
        return None
    try:
        ffi.cdef(_EXTRA_DECLARATIONS)
    except Exception:  # a later WeasyPrint declaring them otherwise: leave the fonts alone rather than fail the join
        logger.debug("cannot declare the HarfBuzz and fontconfig functions", exc_info=True)
        return None
    return ffi, harfbuzz, harfbuzz_subset, fontconfig


def _original_face(program: bytes):
    """The HarfBuzz face of the installed font whose PostScript name the embedded `program` carries, or None."""
    bindings = _bindings()
    if bindings is None:
        return None
    ffi, harfbuzz, _subset_lib, fontconfig = bindings
    postscript_name = _postscript_name(program)
    if not postscript_name:
        return None
    pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
    fontconfig.FcPatternAddString(pattern, b"postscriptname", postscript_name.encode())
    fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    result = ffi.new("FcResult *")
    match = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
    if match == ffi.NULL:
        return None
    match = ffi.gc(match, fontconfig.FcPatternDestroy)
    # fontconfig answers with its nearest font, of another family if need be.
    if _fc_string(bindings, match, b"postscriptname") != postscript_name:
        return None
    path = _fc_string(bindings, match, b"file")
    index = ffi.new("int *")
    if path is None or fontconfig.FcPatternGetInteger(match, b"index", 0, index) != 0:  # FcResultMatch
        return None
    blob = harfbuzz.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = ffi.gc(harfbuzz.hb_face_create(blob, index[0]), harfbuzz.hb_face_destroy)
    harfbuzz.hb_blob_destroy(blob)  # the face holds its own reference
    return face


def _fc_string(bindings, pattern, name: bytes) -> str | None:
    ffi, _harfbuzz, _subset_lib, fontconfig = bindings
    value = ffi.new("FcChar8 **")
    if fontconfig.FcPatternGetString(pattern, name, 0, value) != 0:
        return None
    return ffi.string(ffi.cast("char *", value[0])).decode("utf-8", "replace")


def _postscript_name(program: bytes) -> str | None:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError):
        return None


def _subset(face, glyphs: set[int] | frozenset[int]) -> bytes | None:
    """The subset WeasyPrint 70 embeds for these glyph ids: the same two passes, flags and dropped tables."""
    ffi, harfbuzz, subset, _fontconfig = _bindings()
    plan = ffi.gc(subset.hb_subset_input_create_or_fail(), subset.hb_subset_input_destroy)
    _add_sorted(ffi, harfbuzz, subset.hb_subset_input_glyph_set(plan), sorted(glyphs))
    subset.hb_subset_input_set_flags(
        plan,
        subset.HB_SUBSET_FLAGS_RETAIN_GIDS
        | subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | subset.HB_SUBSET_FLAGS_DESUBROUTINIZE,
    )
    dropped = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in DROPPED_TABLES)
    _add_sorted(ffi, harfbuzz, subset.hb_subset_input_set(plan, subset.HB_SUBSET_SETS_DROP_TABLE_TAG), dropped)
    first = subset.hb_subset_or_fail(face, plan)
    if first == ffi.NULL:
        return None
    first = ffi.gc(first, harfbuzz.hb_face_destroy)
    # The second pass keeps the empty glyphs up to the last one used, and drops the hinting (WeasyPrint's default).
    _add_sorted(ffi, harfbuzz, subset.hb_subset_input_glyph_set(plan), range(max(glyphs) + 1))
    subset.hb_subset_input_set_flags(
        plan,
        subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
        | subset.HB_SUBSET_FLAGS_NO_HINTING,
    )
    second = subset.hb_subset_or_fail(first, plan)
    if second == ffi.NULL:
        return None
    second = ffi.gc(second, harfbuzz.hb_face_destroy)
    blob = harfbuzz.hb_face_reference_blob(second)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return None if data == ffi.NULL else ffi.unpack(data, int(length[0]))
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _add_sorted(ffi, harfbuzz, hb_set, values) -> None:
    values = list(values)
    array = ffi.new(f"hb_codepoint_t[{len(values)}]", values)
    harfbuzz.hb_set_add_sorted_array(hb_set, array, len(values))
