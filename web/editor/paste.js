// What word processors put on the clipboard, made into plain structure
// before the editor reads it: Word's lists (paragraphs with a typed bullet
// or number) become real lists, and the empty paragraphs Word, Google Docs
// and LibreOffice use for spacing are dropped. Styles, classes and Office
// markup need no removing here: the editor keeps only what its schema
// knows (bold and italic included when given as styles), and the server's
// sanitiser has the last word.

const listStyle = /mso-list:\s*l(\d+)\s+level(\d+)/i;
const ordered = /^\(?([0-9]{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]/;

// isWordListItem reports whether p is one of Word's list paragraphs.
function isWordListItem(p) {
  return p.nodeName === "P" && (/MsoListParagraph/i.test(p.className) || listStyle.test(p.getAttribute("style") || ""));
}

// takeMarker removes Word's typed list marker (between the comments
// [if !supportLists] and [endif]) from p and returns its text.
function takeMarker(p) {
  let inMarker = false;
  let marker = "";
  const doomed = [];
  const visit = (node) => {
    for (const c of Array.from(node.childNodes)) {
      if (c.nodeType === Node.COMMENT_NODE) {
        if (/if\s+!supportLists/i.test(c.data)) inMarker = true;
        else if (/endif/i.test(c.data)) inMarker = false;
        doomed.push(c);
        continue;
      }
      if (inMarker) {
        marker += c.textContent;
        doomed.push(c);
        continue;
      }
      if (c.nodeType === Node.ELEMENT_NODE) visit(c);
    }
  };
  visit(p);
  doomed.forEach((n) => n.remove());
  if (marker === "") {
    // Word for the web and some versions style the marker instead.
    const span = p.querySelector('span[style*="mso-list:Ignore" i]');
    if (span) {
      marker = span.textContent;
      span.remove();
    }
  }
  return marker.replace(/\u00a0/g, " ").trim();
}

// wordLists turns each run of Word list paragraphs into nested lists.
function wordLists(doc) {
  const paragraphs = Array.from(doc.body.querySelectorAll("p")).filter(isWordListItem);
  const done = new Set();
  for (const first of paragraphs) {
    if (done.has(first)) continue;
    // The run: this paragraph and the list paragraphs right after it.
    const run = [first];
    let n = first.nextSibling;
    while (n) {
      if (n.nodeType === Node.TEXT_NODE && n.textContent.trim() === "") {
        n = n.nextSibling;
        continue;
      }
      if (n.nodeType === Node.ELEMENT_NODE && isWordListItem(n)) {
        run.push(n);
        n = n.nextSibling;
        continue;
      }
      break;
    }
    run.forEach((p) => done.add(p));
    const stack = []; // [{level, list}]
    let root = null;
    for (const p of run) {
      const m = listStyle.exec(p.getAttribute("style") || "");
      const level = m ? Number(m[2]) : 1;
      const marker = takeMarker(p);
      const tag = ordered.test(marker) ? "ol" : "ul";
      while (stack.length && stack[stack.length - 1].level > level) stack.pop();
      let top = stack[stack.length - 1];
      if (!top || top.level < level) {
        const list = doc.createElement(tag);
        if (top) {
          const lastItem = top.list.lastElementChild;
          (lastItem || top.list).appendChild(list);
        } else {
          root = list;
        }
        top = { level, list };
        stack.push(top);
      }
      const li = doc.createElement("li");
      while (p.firstChild) li.appendChild(p.firstChild);
      top.list.appendChild(li);
    }
    first.before(root);
    run.forEach((p) => p.remove());
  }
}

// Elements that are only spacing when nothing is left in them.
const spacing = new Set(["P", "DIV", "H1", "H2", "H3", "H4", "H5", "H6", "SPAN", "FONT", "B", "I", "STRONG", "EM", "U", "O:P"]);

const inline = new Set(["SPAN", "FONT", "B", "I", "STRONG", "EM", "U", "O:P"]);

// dropEmpty removes spacing elements that show nothing, deepest first, so
// that each is looked at once: one whose children were all removed is
// empty in turn. (Reading each element's whole text instead takes time
// that grows with the square of the nesting.)
function dropEmpty(body) {
  const all = Array.from(body.querySelectorAll("*")).reverse();
  for (const el of all) {
    if (!spacing.has(el.nodeName)) continue;
    let blank = true;
    for (const c of el.childNodes) {
      if (c.nodeType === Node.TEXT_NODE && c.data.replace(/[\s\u00a0\u200b]/g, "") === "") continue;
      // A line break is spacing in a block (LibreOffice's <p><br></p>),
      // but a soft break inside an inline element is the author's.
      if (c.nodeType === Node.COMMENT_NODE || (c.nodeName === "BR" && !inline.has(el.nodeName))) continue;
      blank = false;
      break;
    }
    if (blank) el.remove();
  }
}

// unwrap replaces el by its children.
function unwrap(el) {
  while (el.firstChild) el.before(el.firstChild);
  el.remove();
}

// headingLevels sets the document's headings at the section's two levels,
// keeping their order: the highest level present becomes h3, the others
// h4 (a document whose sections are h2 and subsections h3 keeps both).
function headingLevels(doc) {
  const all = Array.from(doc.body.querySelectorAll("h1, h2, h3, h4, h5, h6"));
  const levels = [...new Set(all.map((h) => Number(h.tagName[1])))].sort();
  for (const h of all) {
    const to = Number(h.tagName[1]) === levels[0] ? "h3" : "h4";
    if (h.tagName.toLowerCase() === to) continue;
    // No attributes come along: a heading needs none, and what a paste
    // holds there need not even be a valid name.
    const n = doc.createElement(to);
    while (h.firstChild) n.appendChild(h.firstChild);
    h.replaceWith(n);
  }
}

const boldStyle = /font-weight\s*:\s*(bold(er)?|[5-9]\d\d)\b/i;
const italicStyle = /font-style\s*:\s*italic/i;

// wrapChildren puts el's children inside a new element named tag.
function wrapChildren(el, tag) {
  const w = el.ownerDocument.createElement(tag);
  while (el.firstChild) w.appendChild(el.firstChild);
  el.appendChild(w);
}

// styleMarks turns bold and italic given as styles (Google Docs and
// LibreOffice spans) into elements, then drops every style: the page's
// CSP keeps the editor from reading style attributes itself.
function styleMarks(doc) {
  doc.body.querySelectorAll("[style]").forEach((el) => {
    const st = el.getAttribute("style");
    if (el.matches("span, font, a, p, td, th")) {
      if (italicStyle.test(st)) wrapChildren(el, "em");
      if (boldStyle.test(st)) wrapChildren(el, "strong");
    }
    el.removeAttribute("style");
  });
}

// spans drops a cell's colspan or rowspan beyond any real table's: a
// pasted colspan of 999999 would have the editor build a million columns
// and freeze the page (the sanitiser keeps at most two digits anyway).
function spans(doc) {
  doc.body.querySelectorAll("td, th").forEach((cell) => {
    for (const a of ["colspan", "rowspan"]) {
      const v = cell.getAttribute(a);
      if (v !== null && !/^[1-9][0-9]?$/.test(v.trim())) cell.removeAttribute(a);
    }
  });
}

// onDropped, when given, learns how many pasted pictures were dropped:
// only the practice's own files may be shown in its text.
export function cleanPaste(html, onDropped) {
  try {
    return clean(html, onDropped);
  } catch (e) {
    // Whatever this cleaning cannot read, the editor's own parser (and the
    // server's sanitiser after it) still can.
    return html;
  }
}

function clean(html, onDropped) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("style, meta, link, script, title, xml").forEach((n) => n.remove());
  let dropped = 0;
  doc.querySelectorAll("img").forEach((img) => {
    if (!/^\/attachments\/[1-9][0-9]*$/.test(img.getAttribute("src") || "")) {
      img.remove();
      dropped++;
    }
  });
  if (dropped > 0 && onDropped) onDropped(dropped);
  // Google Docs wraps the whole paste in <b style="font-weight:normal">.
  doc.querySelectorAll('b[id^="docs-internal-guid"]').forEach(unwrap);
  wordLists(doc);
  styleMarks(doc);
  spans(doc);
  headingLevels(doc);
  // Spacing paragraphs: Word's <p><o:p>&nbsp;</o:p></p>, LibreOffice's
  // <p><br></p>, and Google Docs' <br> between blocks.
  dropEmpty(doc.body);
  doc.body.querySelectorAll("br").forEach((br) => {
    const parent = br.parentElement;
    if (parent === doc.body || (parent && /^docs-internal-guid/.test(parent.id || ""))) br.remove();
  });
  // Comments (Office's conditional ones included) carry nothing.
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.remove());
  return doc.body.innerHTML;
}
