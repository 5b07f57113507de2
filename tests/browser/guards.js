// Runs in every page the browser tests open. What a person would trip over is reported as a console error
// starting with "GUARD:", which the test fixture turns into a failure.
(() => {
  const ALLOWED = new Set(["PDF", "JPG", "JPEG", "PNG", "JSON", "CSV", "XLSX", "ICP", "QR", "A", "B", "C", "D",
    "CX", "JD", "ID", "OK", "GB", "T", "WCAG", "KB", "MB", "GB", "EXCEL", "HTML"]);
  function visible(element) {
    return !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length);
  }
  function check() {
    const body = document.body;
    if (!body) return;
    if (body.dataset.method === "GET") {
      const shown = [...document.querySelectorAll(".errorlist, .has-error, .errornote")].filter(visible);
      if (shown.length) console.error("GUARD: a form shows errors before it was submitted: " + shown[0].innerText.slice(0, 120));
    }
    if ((document.documentElement.lang || "").startsWith("zh")) {
      const text = body.innerText
        .replace(/\S+@\S+/g, " ")                 // e-mail addresses and logins
        .replace(/https?:\/\/\S+|\/\S*/g, " ")    // addresses
        .replace(/\S*\d\S*/g, " ")                // serials, codes, dates, logins with digits
        .replace(/\b[A-Z]{8,}\b/g, " ");          // codes that happen to draw no digit, e.g. tracking number YYHQDHXRBPSC
      const words = (text.match(/[A-Za-z][A-Za-z'’-]+/g) || []).filter((w) => !ALLOWED.has(w.toUpperCase()) && !ALLOWED.has(w));
      const extra = (window.GUARD_ALLOWED_WORDS || []);
      const english = words.filter((w) => !extra.includes(w));
      if (english.length) console.error("GUARD: English on a Chinese page: " + [...new Set(english)].slice(0, 12).join(", "));
    }
  }
  window.addEventListener("load", check);
})();
