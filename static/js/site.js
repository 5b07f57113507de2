/* Small conveniences, from a file because the Content-Security-Policy allows no inline script or handler.
   Every page works without them. */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // <button data-check-all="VALUE" hidden>: checks every radio button of the form with that value.
  for (const button of document.querySelectorAll("button[data-check-all]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      for (const radio of button.form.querySelectorAll("input[type=radio]")) {
        if (radio.value === button.dataset.checkAll) radio.checked = true;
      }
    });
  }
});
