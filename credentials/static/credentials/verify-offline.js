/* Checks a certificate's signed QR code in this browser, with no network: the issuer's public keys come with the page.

   Format 1 (credentials/payload.py): the QR code reads SITE_URL/verify/<serial>/#<text>, where <text> is base43 of a
   canonical CBOR array [1, kid, code, name (GB18030), kind, year, programme, valid from, valid until (days since
   1970-01-01)] followed by the 64-byte Ed25519 signature of "award315/qr/1\n" + serial + "\n" + the CBOR bytes.
   The serial is signed but written once, in the address: a verifier needs the address and the fragment.
   On /check/ it checks what is pasted; on /verify/<serial>/ its own address, if the QR code gave a fragment.
   Every sentence comes from the page (data-* attributes, translated there); nothing is fetched. */
"use strict";

(() => {
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:";
  const CONTEXT = "award315/qr/1\n";
  const SIGNATURE_BYTES = 64;
  const FIELD_TYPES = ["uint", "bstr", "tstr", "bstr", "uint", "uint", "uint", "uint", "uint"];
  const ADDRESS = /\/verify\/([^/?#]+)\/?(?:\?.*)?$/;
  const DAY = 86400000;

  class Refusal extends Error {
    constructor(reason, fields) {
      super(reason);
      this.reason = reason;
      this.fields = fields;
    }
  }

  function unescaped(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new Refusal("format");
    }
  }

  // The serial (from the address) and the payload text (after "#") out of what a scanner read.
  function splitScanned(scanned) {
    const text = scanned.trim();
    if (!text) throw new Refusal("empty");
    const hash = text.indexOf("#");
    const address = hash >= 0 ? text.slice(0, hash).trim() : "";
    // The fragment alone: its serial, which is signed too, was in the address.
    if (!address && Array.from(text.slice(hash + 1).trim()).every((c) => ALPHABET.includes(c))) {
      throw new Refusal("address");
    }
    const match = address.match(ADDRESS);
    if (!match) throw new Refusal("format");
    return [unescaped(match[1]), unescaped(text.slice(hash + 1)).trim()];
  }

  function base43(text) {
    const digits = Array.from(text, (c) => ALPHABET.indexOf(c));
    if (digits.includes(-1)) throw new Refusal("format");
    if (digits.length % 3 === 1) throw new Refusal("damaged");
    const bytes = [];
    for (let i = 0; i < digits.length; i += 3) {
      const n = digits[i] + digits[i + 1] * 43 + (i + 2 < digits.length ? digits[i + 2] * 1849 : 0);
      if (i + 2 < digits.length) {
        if (n > 0xffff) throw new Refusal("damaged");
        bytes.push(n >> 8, n & 0xff);
      } else {
        if (n > 0xff) throw new Refusal("damaged");
        bytes.push(n);
      }
    }
    return Uint8Array.from(bytes);
  }

  // A canonical CBOR reader for the only types format 1 uses: unsigned integers, byte and text strings, one array.
  function readArray(bytes) {
    let at = 0;
    const take = (count) => {
      if (at + count > bytes.length) throw new Refusal("damaged");
      at += count;
      return bytes.subarray(at - count, at);
    };
    const head = () => {
      const [initial] = take(1);
      const info = initial & 31;
      let value = info;
      if (info >= 24) {
        if (info > 27) throw new Refusal("damaged"); // indefinite lengths and reserved values
        value = take(1 << (info - 24)).reduce((sum, byte) => sum * 256 + byte, 0);
        // Shortest form only, as the issuer writes it, so that a code has one spelling.
        const floor = [24, 0x100, 0x10000, 0x100000000][info - 24];
        if (!Number.isSafeInteger(value) || value < floor) throw new Refusal("damaged");
      }
      return [initial >> 5, value];
    };
    if (!bytes.length || bytes[0] >> 5 !== 4) throw new Refusal("format");
    const [, length] = head();
    const items = [];
    for (let i = 0; i < length; i++) {
      const [major, value] = head();
      if (major === 0) items.push({ type: "uint", value });
      else if (major === 2) items.push({ type: "bstr", value: take(value) });
      else if (major === 3) items.push({ type: "tstr", value: take(value) });
      else throw new Refusal("damaged");
    }
    return { items, end: at };
  }

  function text(bytes, encoding) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      throw new Refusal("damaged");
    }
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function decode(serial, source) {
    if (!source) throw new Refusal("empty");
    const bytes = base43(source);
    const { items, end } = readArray(bytes);
    if (items.length && items[0].type === "uint" && items[0].value !== 1) throw new Refusal("format");
    if (bytes.length - end !== SIGNATURE_BYTES) throw new Refusal("damaged");
    if (items.length !== FIELD_TYPES.length || items.some((item, i) => item.type !== FIELD_TYPES[i])) {
      throw new Refusal("damaged");
    }
    const v = items.map((item) => item.value);
    if (v[1].length !== 4) throw new Refusal("damaged");
    const signed = new TextEncoder().encode(CONTEXT + serial + "\n");
    const message = new Uint8Array(signed.length + end);
    message.set(signed);
    message.set(bytes.subarray(0, end), signed.length);
    return {
      fields: {
        kid: hex(v[1]),
        serial,
        code: text(v[2], "utf-8"),
        name: text(v[3], "gb18030"),
        kind: v[4],
        year: v[5],
        programme: v[6],
        validFrom: new Date(v[7] * DAY),
        validUntil: new Date(v[8] * DAY),
      },
      message,
      signature: bytes.subarray(end),
    };
  }

  function base64url(value) {
    const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  // Resolves to {genuine: true, fields} or throws a Refusal whose reason is empty, format, damaged, unknown-key,
  // signature or unsupported (this browser cannot check an Ed25519 signature: no secure context, or too old).
  async function verify(serial, source, keys) {
    const { fields, message, signature } = decode(serial, source);
    if (!Object.hasOwn(keys, fields.kid)) throw new Refusal("unknown-key", fields);
    if (!(window.crypto && crypto.subtle)) throw new Refusal("unsupported", fields);
    let valid;
    try {
      const key = await crypto.subtle.importKey("raw", base64url(keys[fields.kid]), { name: "Ed25519" }, false, [
        "verify",
      ]);
      valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch {
      throw new Refusal("unsupported", fields);
    }
    if (!valid) throw new Refusal("signature", fields);
    return { genuine: true, fields };
  }

  // Whether this browser can check an Ed25519 signature at all: WebCrypto exists only in a secure context.
  async function canVerify(keys) {
    if (!(window.crypto && crypto.subtle)) return false;
    const [any] = Object.values(keys);
    if (!any) return true;
    try {
      await crypto.subtle.importKey("raw", base64url(any), { name: "Ed25519" }, false, ["verify"]);
      return true;
    } catch {
      return false;
    }
  }

  // ---- What the person sees ----

  function json(element, name) {
    try {
      return JSON.parse(element.dataset[name] || "{}");
    } catch {
      return {};
    }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function verifier(root) {
    const say = document.querySelector("[data-verifier-text]").dataset;
    const keys = json(root, "keys");
    const kinds = json(root, "kinds");
    const programmes = json(root, "programmes");
    const dates = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric",
      month: "long",
      day: "numeric",
      timeZone: "UTC",
    });
    const reasonOf = (refusal) => {
      const key = "reason" + refusal.reason.replace(/(^|-)(\w)/g, (whole, dash, c) => c.toUpperCase());
      return fill(say[key] || say.reasonDamaged, refusal.fields || {});
    };
    const onlineAddress = (serial) => root.dataset.onlineUrl.replace("{serial}", encodeURIComponent(serial));
    const title = (fields) => `${fields.year}年度${kinds[fields.kind] || "#" + fields.kind}`;
    const programme = (fields) => programmes[fields.programme] || [fill(say.unknownProgramme, { id: fields.programme })];

    function rows(fields) {
      const [programmeTitle, issuingBody] = programme(fields);
      const list = [
        [say.labelSerial, fields.serial],
        [say.labelCode, fields.code],
        [say.labelName, fields.name],
        [say.labelTitle, title(fields)],
        [say.labelProgramme, programmeTitle],
      ];
      if (issuingBody) list.push([say.labelIssuingBody, issuingBody]);
      list.push(
        [say.labelValidFrom, dates.format(fields.validFrom)],
        [say.labelValidUntil, dates.format(fields.validUntil)],
        [say.labelKid, fields.kid],
      );
      const dl = element("dl", "facts");
      for (const [label, value] of list) dl.append(element("dt", "", label), element("dd", "", value));
      return dl;
    }

    function liveStatus(fields) {
      const p = element("p", "live", say.live + " ");
      const link = element("a", "", fill(say.liveLink, { serial: fields.serial }));
      link.href = onlineAddress(fields.serial);
      p.append(link);
      return p;
    }

    // /check/: a verdict in one colour and one sentence, then the signed fields and where to see the live status.
    function showCheck(output, outcome) {
      const verdict = element("section", "verdict");
      const heading = element("h2", "");
      const facts = [];
      if (outcome.genuine) {
        verdict.classList.add("valid");
        verdict.dataset.verdict = "genuine";
        heading.append(element("span", "mark", "✓"), say.genuine);
        verdict.append(heading, element("p", "", say.genuineDetail));
        const card = element("section", "card");
        card.append(rows(outcome.fields));
        facts.push(card, liveStatus(outcome.fields));
      } else if (outcome.reason === "unsupported") {
        verdict.classList.add("unknown");
        verdict.dataset.verdict = "unsupported";
        heading.append(element("span", "mark", "○"), say.unsupported);
        verdict.append(heading, element("p", "reason", reasonOf(outcome)));
        if (outcome.fields) facts.push(liveStatus(outcome.fields));
      } else if (outcome.reason === "empty" || outcome.reason === "address") {
        verdict.classList.add("unknown");
        verdict.dataset.verdict = "incomplete";
        heading.textContent = reasonOf(outcome);
        verdict.append(heading);
      } else {
        verdict.classList.add("revoked");
        verdict.dataset.verdict = "forged";
        heading.append(element("span", "mark", "✕"), say.forged);
        verdict.append(heading, element("p", "reason", reasonOf(outcome)));
      }
      verdict.dataset.reason = outcome.reason || "";
      output.replaceChildren(verdict, ...facts);
      output.hidden = false;
    }

    // /verify/<serial>/: one more line beside the live status, about the code printed on the certificate. The serial
    // of this address is part of what is signed, so a genuine code moved to another certificate's address fails.
    function showFragment(output, outcome) {
      let kind = "revoked";
      let sentence;
      if (outcome.genuine) {
        kind = "valid";
        sentence = fill(say.fragmentGenuine, outcome.fields);
      } else if (outcome.reason === "unsupported") {
        kind = "unknown";
        sentence = say.fragmentUnsupported;
      } else {
        sentence = fill(say.fragmentForged, { reason: reasonOf(outcome) });
      }
      output.className = "verdict " + kind;
      output.dataset.verdict = kind === "valid" ? "genuine" : kind === "unknown" ? "unsupported" : "forged";
      const p = element("p", "");
      p.append(element("span", "mark", { valid: "✓", unknown: "○" }[kind] || "✕"), sentence);
      output.replaceChildren(p);
      output.hidden = false;
      const live = document.querySelector("section.verdict[data-status]");
      if (live) live.after(output);
    }

    const check = (scanned) =>
      Promise.resolve()
        .then(() => verify(...splitScanned(scanned), keys))
        .catch((refusal) => {
          if (refusal instanceof Refusal) return { genuine: false, reason: refusal.reason, fields: refusal.fields };
          throw refusal;
        });

    // The verification page is online, and the browser may have kept it from before a rotation (it is revalidated
    // by the register's version): a key it does not know is looked up once in the published ring before saying forged.
    async function withNewestKeys(address, scanned) {
      try {
        const response = await fetch(address, { cache: "no-cache" });
        for (const key of (await response.json()).keys) keys[key.kid] = key.x;
      } catch {
        // Offline or refused: the keys of the page are all there is.
      }
      return check(scanned);
    }

    const output = document.getElementById(root.dataset.output);
    if (root.dataset.mode === "fragment") {
      if (location.hash.length > 1) {
        const scanned = location.pathname + location.hash;
        check(scanned)
          .then((outcome) => (outcome.reason === "unknown-key" ? withNewestKeys(root.dataset.keysUrl, scanned) : outcome))
          .then((outcome) => showFragment(output, outcome));
      }
      return;
    }
    const field = root.querySelector("textarea");
    const run = () => check(field.value).then((outcome) => showCheck(output, outcome));
    root.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    root.hidden = false;
    canVerify(keys).then((able) => {
      const notice = document.querySelector("[data-unsupported-notice]");
      if (notice) notice.hidden = able;
    });
  }

  const start = () => document.querySelectorAll("[data-offline-verifier]").forEach(verifier);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
