// Drafts that never lose work. On a practice form marked data-autosave:
// - every 30 seconds while it changes, the draft is saved in the
//   background ("Saved at 10:42"); a new practice becomes a draft at its
//   first save, and the form goes on editing that draft;
// - every change is also kept in this browser's local storage until a
//   save succeeds, and offered back when the page opens again after a save
//   failed (the session ended, the network dropped).
// Without JavaScript the form's own buttons do the same work by hand.
(function () {
  "use strict";
  // The page after a save the server made: the copies kept for that form
  // are no longer needed (the new practice's, and this practice's).
  if (document.body.hasAttribute("data-draft-saved")) {
    try {
      var id = (location.pathname.match(/^\/practices\/(\d+)/) || [])[1];
      localStorage.removeItem("puente-draft:new");
      if (id) {
        Object.keys(localStorage).forEach(function (k) {
          if (k === "puente-draft:" + id || k.indexOf("puente-draft:version:" + id + ":") === 0) { localStorage.removeItem(k); }
        });
      }
    } catch (e) { /* nothing kept */ }
  }
  var form = document.querySelector("form[data-autosave], form[data-keep-copy]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var every = Number(form.dataset.autosaveEvery) || 30000;
  var status = document.getElementById("autosave-status");
  var key = "puente-draft:" + (form.dataset.keepCopy || form.dataset.autosave || "new");
  var autosaves = form.hasAttribute("data-autosave");
  var dirty = false;
  var saving = false;

  function say(text, failed) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("failed", !!failed);
  }
  function clock(d) {
    return d.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }
  function fields() {
    var out = [];
    new FormData(form).forEach(function (v, k) {
      if (k !== "action" && typeof v === "string") { out.push([k, v]); }
    });
    return out;
  }
  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), fields: fields() }));
    } catch (e) { /* storage full or refused: the server save still runs */ }
  }
  function forget() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function save() {
    if (!dirty || saving) { return; }
    var body = new URLSearchParams();
    fields().forEach(function (f) { body.append(f[0], f[1]); });
    body.set("action", "save");
    saving = true;
    dirty = false;
    // form.action would be the form's buttons named "action": read the
    // attribute.
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin", headers: { "X-Autosave": "1" } })
      .then(function (res) {
        var path = res.headers.get("X-Practice") || new URL(res.url).pathname;
        if (res.ok && /^\/practices\/\d+$/.test(path)) {
          // A new practice is a draft now: go on editing it.
          if (form.dataset.autosave === "new") {
            form.setAttribute("action", path);
            form.dataset.autosave = path.split("/").pop();
            forget();
            key = "puente-draft:" + form.dataset.autosave;
            if (window.history && history.replaceState) { history.replaceState(null, "", path + "/edit"); }
          }
          forget();
          say((form.dataset.savedAt || "Saved at {time}").replace("{time}", clock(new Date())), false);
          return;
        }
        dirty = true;
        keep();
        if (path === "/signin") {
          say(form.dataset.saveSignin || "Your session ended. Sign in again in another tab: a copy is kept in this browser.", true);
        } else if (res.status === 422) {
          say(form.dataset.saveInvalid || "Not saved yet: the form has a problem. Save it to see which.", true);
        } else {
          say(form.dataset.saveFailed || "Not saved: a copy is kept in this browser.", true);
        }
      })
      .catch(function () {
        dirty = true;
        keep();
        say(form.dataset.saveFailed || "Not saved: a copy is kept in this browser.", true);
      })
      .then(function () { saving = false; });
  }

  function changed() {
    dirty = true;
    keep();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // The person's own buttons send everything; the copy stays until the
  // page after says it was saved (a session that ended sends them to sign
  // in, and the copy is offered when they come back).
  form.addEventListener("submit", function () { keep(); });
  if (autosaves) {
    form.autosaveNow = save;
    setInterval(save, every);
  }

  // A copy left by a save that failed: offer it back.
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  var shown = Number(form.dataset.updated || 0);
  if (!kept || !kept.fields || kept.at <= shown) { return; }
  var same = JSON.stringify(kept.fields) === JSON.stringify(fields());
  if (same) { forget(); return; }
  var box = document.getElementById("autosave-restore");
  if (!box) { return; }
  box.querySelector("[data-when]").textContent = clock(new Date(kept.at));
  box.hidden = false;
  box.querySelector("[data-restore]").addEventListener("click", function () {
    restore(kept.fields);
    box.hidden = true;
    dirty = true;
    say(form.dataset.restored || "Restored: save it to keep it.", false);
    var first = form.querySelector("input, textarea, select, [contenteditable]");
    if (first) { first.focus(); }
  });
  box.querySelector("[data-discard]").addEventListener("click", function () {
    forget();
    box.hidden = true;
  });

  function restore(list) {
    var values = {};
    list.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "action" || el.type === "submit" || el.type === "button") { return; }
      var v = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = v.indexOf(el.value) >= 0;
      } else if (el.tagName === "TEXTAREA" && el.editor) {
        el.editor.commands.setContent(v[0] || "", { emitUpdate: true });
        el.value = v[0] || "";
      } else {
        el.value = v[0] || "";
      }
    });
  }
})();
