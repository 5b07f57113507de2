// My titles: the "Copy" button beside each badge's HTML. Without script the text area is still there to select.
(function () {
  "use strict";

  function copyBySelection(textarea) {
    textarea.focus();
    textarea.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(textarea) {
    if (navigator.clipboard && window.isSecureContext) {
      // The clipboard API refuses a document without focus (another tab or window in front): copy by selection then.
      return navigator.clipboard.writeText(textarea.value).catch(function () { return copyBySelection(textarea); });
    }
    return copyBySelection(textarea);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var textarea = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector("[role=status]");
    if (!textarea) return;
    button.hidden = false;
    // One click selects the whole snippet, so that it can be copied by hand too.
    textarea.addEventListener("focus", function () { textarea.select(); });
    button.addEventListener("click", function () {
      copy(textarea).then(function () {
        status.textContent = button.dataset.copied;
      }, function () {
        textarea.focus();
        textarea.select();
      });
    });
  });
})();
