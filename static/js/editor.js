// Turns each <textarea data-rich> into a Trix editor. Without JavaScript,
// or without Trix, the textarea stays and the form works as it is.
(function () {
  "use strict";
  if (!window.customElements || !document.querySelector("textarea[data-rich]")) {
    return;
  }
  // No attachments: Puente stores no files yet.
  document.addEventListener("trix-file-accept", function (e) { e.preventDefault(); });

  // Text far over a section's limit (a refused form coming back with what
  // was pasted) stays in its plain textarea: the editor would take seconds
  // to lay it out, and the person only needs to cut it down.
  var tooLongForEditor = 100000;

  function enhance() {
    document.querySelectorAll("textarea[data-rich]").forEach(function (ta) {
      if (ta.value.length > tooLongForEditor) { return; }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = ta.name;
      input.id = ta.id + "-value";
      input.value = ta.value;

      var wrap = document.createElement("div");
      wrap.className = "rich-wrap rich-" + ta.dataset.rich;

      var editor = document.createElement("trix-editor");
      editor.setAttribute("input", input.id);
      editor.id = ta.id;
      editor.className = "rich-editor";
      var label = document.getElementById(ta.id + "-label");
      if (label) {
        editor.setAttribute("aria-labelledby", label.id);
        label.removeAttribute("for");
      }
      ["aria-describedby", "aria-invalid"].forEach(function (a) {
        if (ta.hasAttribute(a)) { editor.setAttribute(a, ta.getAttribute(a)); }
      });
      wrap.appendChild(input);
      wrap.appendChild(editor);
      ta.replaceWith(wrap);
    });
  }

  // Trix copies its text into the hidden input when it next renders; a
  // submit right after the last keystroke must not lose it.
  document.addEventListener("submit", function (e) {
    e.target.querySelectorAll("trix-editor").forEach(function (ed) {
      var c = ed.editorController;
      if (c && typeof c.updateInputElement === "function") { c.updateInputElement(); }
    });
  }, true);

  if (window.customElements.get("trix-editor")) {
    enhance();
  } else {
    window.customElements.whenDefined("trix-editor").then(enhance);
  }
})();
