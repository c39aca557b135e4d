// Puente's rich-text editor: each <textarea data-rich> becomes a TipTap
// editor with a toolbar in the interface's language. The textarea stays in
// the form, hidden, and holds the HTML the editor writes, so the form
// posts as it does without JavaScript (when the textarea simply stays).
// The server sanitises whatever arrives; the editor only makes it likely
// that what arrives is what the person meant.
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Heading from "@tiptap/extension-heading";
import { Table, TableRow, TableHeader, TableCell } from "@tiptap/extension-table";
import Image from "@tiptap/extension-image";
import { cleanPaste } from "./paste.js";

// Headings sit below the section's own title: h3 and h4. What is pasted
// as h1 or h2 becomes h3, h5 and h6 become h4.
const SectionHeading = Heading.extend({
  parseHTML() {
    return [["h1", 3], ["h2", 3], ["h3", 3], ["h4", 4], ["h5", 4], ["h6", 4]].map(([tag, level]) => ({ tag, attrs: { level } }));
  },
}).configure({ levels: [3, 4] });

// Tables without the widths the table extension writes as inline styles:
// the page's CSP refuses inline styles, and the sanitiser drops them.
const PlainTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    return ["table", HTMLAttributes, ["tbody", 0]];
  },
}).configure({ resizable: false });

// Text far over a section's limit (a refused form coming back with what
// was pasted) stays in its plain textarea: the editor would take seconds
// to lay it out, and the person only needs to cut it down.
const tooLongForEditor = 100000;

// The page lists the editor's words in its language (see base.html).
function labels() {
  const out = {};
  document.querySelectorAll("#editor-labels [data-key]").forEach((li) => {
    out[li.dataset.key.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = li.textContent;
  });
  return out;
}

// The buttons, in toolbar order. full: the practice sections; small:
// comments. inTable buttons show only while the cursor is in a table.
const buttons = [
  { id: "bold", text: "B", run: (c) => c.toggleBold(), active: (e) => e.isActive("bold"), key: "Ctrl+B" },
  { id: "italic", text: "I", run: (c) => c.toggleItalic(), active: (e) => e.isActive("italic"), key: "Ctrl+I" },
  { id: "h3", text: "H3", full: true, run: (c) => c.toggleHeading({ level: 3 }), active: (e) => e.isActive("heading", { level: 3 }) },
  { id: "h4", text: "H4", full: true, run: (c) => c.toggleHeading({ level: 4 }), active: (e) => e.isActive("heading", { level: 4 }) },
  { id: "bulletList", text: "•", run: (c) => c.toggleBulletList(), active: (e) => e.isActive("bulletList") },
  { id: "orderedList", text: "1.", run: (c) => c.toggleOrderedList(), active: (e) => e.isActive("orderedList") },
  { id: "blockquote", text: "“”", run: (c) => c.toggleBlockquote(), active: (e) => e.isActive("blockquote") },
  { id: "link", icon: "M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1 M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1", dialog: true, active: (e) => e.isActive("link") },
  { id: "image", icon: "M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15 9.5a1.5 1.5 0 1 0 .01 0", full: true, imageDialog: true, needsImages: true },
  { id: "table", text: "▦", full: true, run: (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }), hideInTable: true },
  { id: "addRow", text: "+↓", full: true, inTable: true, run: (c) => c.addRowAfter() },
  { id: "addColumn", text: "+→", full: true, inTable: true, run: (c) => c.addColumnAfter() },
  { id: "deleteRow", text: "−↓", full: true, inTable: true, run: (c) => c.deleteRow() },
  { id: "deleteColumn", text: "−→", full: true, inTable: true, run: (c) => c.deleteColumn() },
  { id: "deleteTable", text: "✕▦", full: true, inTable: true, run: (c) => c.deleteTable() },
  { id: "undo", text: "↶", run: (c) => c.undo(), key: "Ctrl+Z" },
  { id: "redo", text: "↷", run: (c) => c.redo(), key: "Ctrl+Shift+Z" },
];

const safeURL = /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i;

function enhance(ta, L) {
  const full = ta.dataset.rich === "full";
  const id = ta.id;
  const label = document.getElementById(id + "-label");

  const wrap = document.createElement("div");
  wrap.className = "rich-wrap rich-" + ta.dataset.rich;
  const toolbar = document.createElement("div");
  toolbar.className = "rich-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", (L.toolbar || "Formatting") + (label ? ": " + label.textContent.trim() : ""));
  toolbar.setAttribute("aria-controls", id);
  const mount = document.createElement("div");
  mount.className = "rich-editor";

  // The link dialog: a small form of its own, in the page's language.
  const dialog = document.createElement("div");
  dialog.className = "link-dialog";
  dialog.setAttribute("role", "group");
  dialog.setAttribute("aria-label", L.link || "Link");
  dialog.hidden = true;
  const urlID = id + "-link-url";
  const urlLabel = document.createElement("label");
  urlLabel.htmlFor = urlID;
  urlLabel.textContent = L.linkUrl || "Link address";
  const url = document.createElement("input");
  url.type = "url";
  url.id = urlID;
  url.placeholder = "https://";
  url.setAttribute("aria-describedby", urlID + "-error");
  const urlError = document.createElement("p");
  urlError.className = "field-error";
  urlError.id = urlID + "-error";
  urlError.hidden = true;
  const apply = document.createElement("button");
  apply.type = "button";
  apply.textContent = L.linkApply || "Apply";
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = L.unlink || "Remove link";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "link";
  cancel.textContent = L.linkCancel || "Cancel";
  const row = document.createElement("div");
  row.className = "link-dialog-row";
  row.append(url, apply, remove, cancel);
  dialog.append(urlLabel, row, urlError);

  // The picture chooser: the practice's image files, by name.
  const imageDialog = document.createElement("div");
  imageDialog.className = "link-dialog";
  imageDialog.setAttribute("role", "group");
  imageDialog.setAttribute("aria-label", L.image || "Picture");
  imageDialog.hidden = true;
  const imageLabel = document.createElement("label");
  imageLabel.htmlFor = id + "-image";
  imageLabel.textContent = L.imageChoose || "Picture";
  const imageSelect = document.createElement("select");
  imageSelect.id = id + "-image";
  const imageInsert = document.createElement("button");
  imageInsert.type = "button";
  imageInsert.textContent = L.imageInsert || "Insert";
  const imageCancel = document.createElement("button");
  imageCancel.type = "button";
  imageCancel.className = "link";
  imageCancel.textContent = L.linkCancel || "Cancel";
  const imageRow = document.createElement("div");
  imageRow.className = "link-dialog-row";
  imageRow.append(imageSelect, imageInsert, imageCancel);
  imageDialog.append(imageLabel, imageRow);

  const invalid = ta.getAttribute("aria-invalid") === "true";
  ta.hidden = true;
  ta.id = id + "-source";
  ta.removeAttribute("aria-invalid");
  ta.before(wrap);
  wrap.append(toolbar, dialog, imageDialog, mount, ta);

  const attrs = { id, role: "textbox", "aria-multiline": "true", class: "rich-content" };
  if (label) {
    attrs["aria-labelledby"] = label.id;
    label.removeAttribute("for");
    label.addEventListener("click", () => editor.commands.focus());
  }
  const described = ta.getAttribute("aria-describedby");
  if (described) attrs["aria-describedby"] = described;
  if (invalid) attrs["aria-invalid"] = "true";

  const extensions = [
    StarterKit.configure({
      heading: false,
      code: false,
      codeBlock: false,
      strike: false,
      underline: false,
      horizontalRule: false,
      link: { openOnClick: false, autolink: true, linkOnPaste: true, protocols: ["mailto"], defaultProtocol: "https" },
    }),
  ];
  // Pictures are the practice's own image files, listed in the form.
  const images = Array.from(document.querySelectorAll("[data-image-src]")).map((el) => ({ src: el.dataset.imageSrc, name: el.dataset.imageName }));
  if (full) extensions.push(SectionHeading, PlainTable, TableRow, TableHeader, TableCell, Image.configure({ inline: false, allowBase64: false }));

  // Said under the editor when a paste lost something.
  const pasteNote = document.createElement("p");
  pasteNote.className = "field-error";
  pasteNote.setAttribute("role", "status");
  pasteNote.hidden = true;
  wrap.after(pasteNote);

  const sync = () => {
    ta.value = editor.isEmpty ? "" : editor.getHTML();
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const editor = new Editor({
    element: mount,
    extensions,
    content: ta.value,
    injectCSS: false,
    editorProps: {
      attributes: attrs,
      transformPastedHTML: (html) =>
        cleanPaste(html, () => {
          pasteNote.textContent = L.pastedImages || "Pictures cannot be pasted: attach them as files, then insert them with the picture button.";
          pasteNote.hidden = false;
        }),
    },
    onUpdate: sync,
  });

  // Toolbar: one Tab stop; arrow keys, Home and End move between buttons.
  const made = [];
  for (const b of buttons) {
    if (b.full && !full) continue;
    if (b.needsImages && images.length === 0) continue;
    const el = document.createElement("button");
    el.type = "button";
    el.className = "rich-button";
    el.dataset.cmd = b.id;
    el.tabIndex = made.length === 0 ? 0 : -1;
    // The glyph is what the eye sees; the name, in the page's language, is
    // what a screen reader says and what the tooltip shows.
    const name = L[b.id] || b.id;
    let glyph;
    if (b.icon) {
      // A drawn icon where no font has a reliable glyph.
      const ns = "http://www.w3.org/2000/svg";
      glyph = document.createElementNS(ns, "svg");
      glyph.setAttribute("viewBox", "0 0 24 24");
      glyph.setAttribute("width", "18");
      glyph.setAttribute("height", "18");
      glyph.setAttribute("fill", "none");
      glyph.setAttribute("stroke", "currentColor");
      glyph.setAttribute("stroke-width", "2");
      glyph.setAttribute("stroke-linecap", "round");
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", b.icon);
      glyph.append(path);
    } else {
      glyph = document.createElement("span");
      glyph.textContent = b.text;
    }
    glyph.setAttribute("aria-hidden", "true");
    const said = document.createElement("span");
    said.className = "visually-hidden";
    said.textContent = name;
    el.append(glyph, said);
    el.title = b.key ? name + " (" + b.key + ")" : name;
    if (b.active) el.setAttribute("aria-pressed", "false");
    el.addEventListener("mousedown", (e) => e.preventDefault()); // keep the editor's selection
    el.addEventListener("click", () => {
      if (b.dialog) {
        openDialog();
        return;
      }
      if (b.imageDialog) {
        openImages();
        return;
      }
      b.run(editor.chain().focus()).run();
    });
    toolbar.append(el);
    made.push({ b, el });
  }
  const visible = () => made.filter((m) => !m.el.hidden).map((m) => m.el);
  toolbar.addEventListener("keydown", (e) => {
    const list = visible();
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    let next = -1;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") next = (i + 1) % list.length;
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = (i - 1 + list.length) % list.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = list.length - 1;
    else if (e.key === "Escape") {
      editor.commands.focus();
      e.preventDefault();
      return;
    }
    if (next < 0) return;
    e.preventDefault();
    list.forEach((el, j) => (el.tabIndex = j === next ? 0 : -1));
    list[next].focus();
  });
  // Alt+F10 reaches the toolbar from the text, as in other editors.
  mount.addEventListener("keydown", (e) => {
    if (e.altKey && e.key === "F10") {
      e.preventDefault();
      const t = toolbar.querySelector('[tabindex="0"]') || visible()[0];
      if (t) t.focus();
    }
  });

  const refresh = () => {
    const inTable = full && editor.isActive("table");
    let focusable = null;
    for (const { b, el } of made) {
      if (b.active) el.setAttribute("aria-pressed", String(!!b.active(editor)));
      if (b.inTable) el.hidden = !inTable;
      if (b.hideInTable) el.hidden = inTable;
      if (el.tabIndex === 0 && !el.hidden) focusable = el;
    }
    if (!focusable) {
      const v = visible();
      v.forEach((el, j) => (el.tabIndex = j === 0 ? 0 : -1));
    }
  };
  editor.on("selectionUpdate", refresh);
  editor.on("transaction", refresh);
  refresh();

  function openDialog() {
    dialog.hidden = false;
    url.value = editor.getAttributes("link").href || "";
    remove.hidden = !editor.isActive("link");
    urlError.hidden = true;
    url.removeAttribute("aria-invalid");
    url.focus();
  }
  function closeDialog() {
    dialog.hidden = true;
    editor.commands.focus();
  }
  function applyLink() {
    const href = url.value.trim();
    if (href === "") {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      closeDialog();
      return;
    }
    if (!safeURL.test(href)) {
      urlError.textContent = L.linkInvalid || "Write an address starting with https://, http:// or mailto:";
      urlError.hidden = false;
      url.setAttribute("aria-invalid", "true");
      url.focus();
      return;
    }
    const chain = editor.chain().focus().extendMarkRange("link");
    if (editor.state.selection.empty && !editor.isActive("link")) {
      chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      chain.setLink({ href }).run();
    }
    closeDialog();
  }
  function openImages() {
    imageSelect.replaceChildren(...images.map((im) => {
      const o = document.createElement("option");
      o.value = im.src;
      o.textContent = im.name;
      return o;
    }));
    imageDialog.hidden = false;
    imageSelect.focus();
  }
  function closeImages() {
    imageDialog.hidden = true;
    editor.commands.focus();
  }
  imageInsert.addEventListener("click", () => {
    const im = images.find((x) => x.src === imageSelect.value);
    if (im) editor.chain().focus().setImage({ src: im.src, alt: im.name }).run();
    closeImages();
  });
  imageCancel.addEventListener("click", closeImages);
  imageDialog.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      closeImages();
    }
  });
  apply.addEventListener("click", applyLink);
  remove.addEventListener("click", () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    closeDialog();
  });
  cancel.addEventListener("click", closeDialog);
  // Enter in the address must not submit the practice form around it.
  url.addEventListener("keypress", (e) => {
    if (e.key === "Enter") e.preventDefault();
  });
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target === url) {
      e.preventDefault();
      applyLink();
    } else if (e.key === "Escape") {
      e.preventDefault();
      closeDialog();
    }
  });
  // Ctrl+K opens the link dialog from the text.
  mount.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
      e.preventDefault();
      openDialog();
    }
  });

  sync();
  ta.editor = editor;
  return editor;
}

function start() {
  const L = labels();
  document.querySelectorAll("textarea[data-rich]").forEach((ta) => {
    if (ta.value.length > tooLongForEditor) return;
    enhance(ta, L);
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
