/* The notebook editor: live outputs under each cell, samples, moving cells from the
   keyboard, the PDF preview of the unsaved template, and unsaved work kept in
   localStorage (with the draft's lock version it was based on) across reloads.
   Evaluation and rendering happen on the server; this file only moves values. */
(function () {
  "use strict";
  /* Runs once per editor page, and again each time notebook-inplace.js swaps in the page
     the server answered (the old elements, and their listeners, are gone then). */
  function init() {
  var form = document.getElementById("editor");
  if (!form || !window.MotcuaForm) return;
  var F = window.MotcuaForm;
  var storageKey = form.getAttribute("data-storage-key");
  var lockVersion = form.getAttribute("data-lock-version");
  var picker = document.getElementById("sample-picker");
  var saveState = document.getElementById("save-state");
  var ORDER = "\u0000order";

  function activeSample() { return picker ? picker.value : "0"; }
  function sampleValuesBox(index) {
    return document.querySelector("fieldset[data-sample=\"" + index + "\"] [data-sample-values]");
  }
  function cellsRoot() { return form.querySelector(".cells"); }
  /* The values typed into the field widgets; addresses as {"text", "ward_code"} objects. */
  function collectValues() {
    var values = F.collect(cellsRoot());
    cellsRoot().querySelectorAll("[data-address][data-name]").forEach(function (input) {
      var name = input.getAttribute("data-name");
      try { values[name] = input.value ? JSON.parse(input.value) : ""; } catch (e) { /* keep the text */ }
    });
    return values;
  }
  function cellSections() { return Array.prototype.slice.call(form.querySelectorAll("section.cell[data-cell-id]")); }
  function cellSection(cellId) { return document.getElementById("cell-" + cellId); }
  function definitionInputs() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.hasAttribute("data-name") && !el.hasAttribute("data-col") &&
        el.name !== "csrf_token" && el.name !== "lock_version" && el.name !== "cell" &&
        el.type !== "submit" && el.tagName !== "BUTTON";
    });
  }

  /* ---- save state: "Đã lưu" / "Chưa lưu" / conflict ---- */
  function setState(state) {
    if (!saveState) return;
    saveState.setAttribute("data-state", state);
    saveState.textContent = saveState.getAttribute("data-text-" + state);
    form.setAttribute("data-save-state", state);
  }

  /* ---- unsaved work in localStorage ---- */
  function snapshot() {
    var data = {};
    definitionInputs().forEach(function (el) {
      if (el.type === "checkbox") data[el.name + "\u0000" + el.value] = el.checked;
      else if (!(el.name in data)) data[el.name] = el.value;
    });
    data[ORDER] = cellSections().map(function (s) { return s.getAttribute("data-cell-id"); }).join(",");
    return data;
  }
  var original = snapshot();
  var conflictPending = false;

  function differs(now) {
    return Object.keys(now).some(function (k) { return now[k] !== original[k]; });
  }
  function write(entry) {
    try {
      if (entry) localStorage.setItem(storageKey, JSON.stringify(entry));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  function store(submitted) {
    if (conflictPending) return;
    var now = snapshot();
    var changed = differs(now);
    write(changed ? {base: lockVersion, data: now, submitted: !!submitted} : null);
    setState(changed ? "unsaved" : "saved");
  }
  function readStored() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  function reorder(order) {
    var ids = (order || "").split(",").filter(Boolean);
    var sections = cellSections();
    var current = sections.map(function (s) { return s.getAttribute("data-cell-id"); });
    if (ids.length !== current.length || ids.slice().sort().join() !== current.slice().sort().join()) return false;
    if (ids.join() === current.join()) return false;
    var anchor = form.querySelector(".add-cell");
    ids.forEach(function (id) { cellsRoot().insertBefore(cellSection(id), anchor); });
    refreshMoveButtons();
    return true;
  }

  function applySaved(data) {
    var restored = reorder(data[ORDER]);
    definitionInputs().forEach(function (el) {
      if (el.type === "checkbox") {
        var key = el.name + "\u0000" + el.value;
        if (key in data && el.checked !== data[key]) { el.checked = data[key]; restored = true; }
      } else if (el.name in data && el.value !== data[el.name] &&
                 (el.type !== "hidden" || el.hasAttribute("data-sample-values"))) {
        el.value = data[el.name]; restored = true;
      }
    });
    return restored;
  }

  function restore() {
    var saved = readStored();
    if (!saved || !saved.data) { setState("saved"); return; }
    if (form.getAttribute("data-saved") === "1" && saved.submitted) {
      write(null); setState("saved"); return;  // what was submitted is now the saved draft
    }
    if (String(saved.base) === lockVersion) {
      if (applySaved(saved.data)) {
        document.getElementById("restore-notice").hidden = false;
        setState("unsaved");
      } else { write(null); setState("saved"); }
      return;
    }
    // Saved against an older lock version: someone saved in between. Offer the choice.
    conflictPending = true;
    setState("conflict");
    var box = document.getElementById("merge-choice");
    box.hidden = false;
    document.getElementById("keep-mine").focus();
    document.getElementById("keep-mine").addEventListener("click", function () {
      conflictPending = false;
      box.hidden = true;
      applySaved(saved.data);
      store(false);  // now based on the server's lock version: saving overwrites it
      run({widgets: true, all: true});
    });
    document.getElementById("take-server").addEventListener("click", function () {
      conflictPending = false;
      box.hidden = true;
      write(null);
      setState("saved");
    });
  }

  /* ---- moving cells (client side: the order of the `cell` inputs is the notebook's) ---- */
  function refreshMoveButtons() {
    var sections = cellSections();
    sections.forEach(function (section, index) {
      var up = section.querySelector("[data-move=up]"), down = section.querySelector("[data-move=down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === sections.length - 1;
    });
  }
  function moveCell(section, direction) {
    var sections = cellSections();
    var index = sections.indexOf(section);
    var target = direction === "up" ? sections[index - 1] : sections[index + 1];
    if (!target) return;
    cellsRoot().insertBefore(section, direction === "up" ? target : target.nextSibling);
    refreshMoveButtons();
    var button = section.querySelector("[data-move=" + direction + "]");
    if (button && button.disabled) button = section.querySelector("[data-move=" + (direction === "up" ? "down" : "up") + "]");
    if (button) button.focus();
    section.scrollIntoView({block: "nearest"});
    var position = cellSections().indexOf(section) + 1;
    announce("Ô " + section.getAttribute("data-cell-id") + " ở vị trí " + position + " / Cell moved to position " + position);
    store(false);
  }
  function announce(text) {
    var live = document.getElementById("editor-live");
    if (!live) {
      live = document.createElement("p");
      live.id = "editor-live";
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "polite");
      form.appendChild(live);
    }
    live.textContent = text;
  }

  /* ---- errors on cells ---- */
  function setCellError(cellId, text) {
    var p = form.querySelector("[data-cell-error=\"" + CSS.escape(cellId) + "\"]");
    if (p) p.textContent = text || "";
  }
  function showCellError(cellId, text) {
    form.querySelectorAll("[data-cell-error]").forEach(function (p) {
      p.textContent = (cellId && p.getAttribute("data-cell-error") === cellId) ? text : "";
    });
  }
  function showIssues(issues, only) {
    var byCell = {};
    (issues || []).forEach(function (issue) {
      byCell[issue.cell_id] = (byCell[issue.cell_id] ? byCell[issue.cell_id] + " · " : "") + issue.message;
    });
    form.querySelectorAll("[data-cell-error]").forEach(function (p) {
      var cellId = p.getAttribute("data-cell-error");
      if (!only || only === cellId) p.textContent = byCell[cellId] || "";
    });
  }
  function focusCell(cellId) {
    var section = cellSection(cellId);
    if (!section) return false;
    section.scrollIntoView({block: "start"});
    section.focus({preventScroll: true});
    return true;
  }
  function focusFirstFailure() {
    var failing = cellSections().filter(function (section) {
      var error = section.querySelector("[data-cell-error]");
      return (error && error.textContent.trim()) || section.querySelector("[aria-invalid=true]");
    })[0];
    if (failing) { focusCell(failing.getAttribute("data-cell-id")); return; }
    var fail = document.querySelector("#sample-results .fail");
    if (fail) { var list = document.getElementById("sample-results"); list.focus(); }
  }

  function showSamples(readiness) {
    var list = document.getElementById("sample-results");
    list.textContent = "";
    readiness.samples.forEach(function (sample) {
      var li = document.createElement("li");
      li.className = sample.passed ? "pass" : "fail";
      li.textContent = (sample.passed ? "✓ " : "✗ ") + sample.name + (sample.failures.length ? ": " + sample.failures.join("; ") : "");
      list.appendChild(li);
    });
    readiness.issues.forEach(function (issue) {
      var li = document.createElement("li");
      li.className = "fail";
      var link = document.createElement("a");
      link.href = "#cell-" + issue.cell_id;
      link.textContent = issue.cell_id;
      link.addEventListener("click", function (event) { event.preventDefault(); focusCell(issue.cell_id); });
      li.appendChild(document.createTextNode("✗ "));
      li.appendChild(link);
      li.appendChild(document.createTextNode(": " + issue.message));
      list.appendChild(li);
    });
  }

  /* ---- running ---- */
  function runBody(options) {
    var body = new FormData(form);
    body.set("run_sample", activeSample());
    var box = sampleValuesBox(activeSample());
    body.set("values", box ? box.value : JSON.stringify(collectValues()));
    if (options.widgets) body.set("widgets", "1");
    if (options.all) body.set("all", "1");
    if (options.only) body.set("only", options.only);
    return body;
  }

  var sequence = 0;
  function run(options) {
    options = options || {};
    // A reader (no edit permission) sees the server-rendered outputs; running is for editors.
    if (!form.getAttribute("data-run-url")) return Promise.resolve();
    var mine = ++sequence;
    form.setAttribute("data-running", "1");
    return fetch(form.getAttribute("data-run-url"), {
      method: "POST", credentials: "same-origin", body: runBody(options),
      headers: {"Accept": "application/json", "X-CSRFToken": F.csrfToken(form)}
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (answer) {
      if (mine !== sequence) return;
      form.removeAttribute("data-running");
      var body = answer.body;
      if (answer.status !== 200) {
        var err = body.error || {};
        showCellError(err.cell_id || "", err.text || (err.message && err.message.vi) || "");
        if (options.focus && err.cell_id) focusCell(err.cell_id);
        return;
      }
      showIssues(body.issues, options.only);
      Object.keys(body.widgets || {}).forEach(function (cellId) {
        var holder = form.querySelector("[data-widget-for=\"" + CSS.escape(cellId) + "\"]");
        if (holder && !holder.contains(document.activeElement)) holder.innerHTML = body.widgets[cellId];
      });
      Object.keys(body.markdown || {}).forEach(function (cellId) {
        var holder = form.querySelector("[data-markdown-for=\"" + CSS.escape(cellId) + "\"]");
        if (holder) holder.innerHTML = body.markdown[cellId];  // sanitized by the server (nh3)
      });
      F.apply(cellsRoot(), body);
      Object.keys(body.cells).forEach(function (cellId) {
        var out = body.cells[cellId];
        if (out.kind === "check") {
          var holder = form.querySelector("[data-output-for=\"" + CSS.escape(cellId) + "\"] [data-passed]");
          if (holder) holder.setAttribute("data-passed", out.passed === true ? "yes" : out.passed === false ? "no" : "skip");
        }
      });
      if (options.only) {
        var section = cellSection(options.only);
        if (section) { section.classList.add("ran"); setTimeout(function () { section.classList.remove("ran"); }, 800); }
      }
      if (body.readiness) {
        showSamples(body.readiness);
        showIssues(body.readiness.issues.concat(body.issues || []));
      }
      if (options.focus) focusFirstFailure();
      form.setAttribute("data-evaluated", String(mine));
    });
  }

  var runSoon = F.debounce(function (options) { run(options); }, 300);

  /* ---- the unsaved template's PDF ---- */
  var previewUrls = {};
  function preview(button) {
    var cellId = button.getAttribute("data-preview-cell");
    var body = runBody({});
    var box = document.querySelector("[data-preview-for=\"" + CSS.escape(cellId) + "\"]");
    button.disabled = true;
    fetch(button.getAttribute("data-preview-url"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"Accept": "application/pdf, application/json", "X-CSRFToken": F.csrfToken(form)}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/pdf") === 0) {
        return response.blob().then(function (blob) {
          if (previewUrls[cellId]) URL.revokeObjectURL(previewUrls[cellId]);
          var url = previewUrls[cellId] = URL.createObjectURL(blob);
          setCellError(cellId, "");
          box.querySelector("[data-preview-frame]").src = url;
          box.querySelector("[data-preview-open]").href = url;
          box.hidden = false;
          box.setAttribute("data-rendered", "1");
        });
      }
      return response.json().then(function (answer) {
        var err = answer.error || {};
        box.hidden = true;
        setCellError(err.cell_id || cellId, err.text || "");
        focusCell(err.cell_id || cellId);
      });
    }).finally(function () { button.disabled = false; });
  }

  /* ---- events ---- */
  form.addEventListener("input", function (event) {
    var target = event.target;
    sequence++;  // an answer still on its way describes older input: ignore it
    if (target.closest("[data-widget-for]")) {
      var box = sampleValuesBox(activeSample());
      if (box) box.value = JSON.stringify(collectValues());
      store(false);
      runSoon({});
    } else if (target.closest(".cell-def, .nb-meta, .sample")) {
      store(false);
      runSoon({widgets: true, all: target.closest(".sample") ? true : false});
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.closest("[data-widget-for]")) {
      sequence++;
      var box = sampleValuesBox(activeSample());
      if (box) box.value = JSON.stringify(collectValues());
      store(false);
      runSoon({});
    } else if (event.target.closest(".cell-def, .nb-meta, .sample")) {
      store(false);
    }
  });

  if (picker) {
    picker.addEventListener("change", function () {
      form.querySelectorAll("fieldset[data-sample]").forEach(function (fs) {
        fs.hidden = fs.getAttribute("data-sample") !== picker.value;
      });
      form.querySelectorAll("[data-preview-link]").forEach(function (link) {
        link.href = link.href.split("?")[0] + "?sample=" + picker.value;
      });
      run({widgets: true});
    });
  }

  form.addEventListener("click", function (event) {
    var target = event.target;
    var cellButton = target.closest("[data-run-cell]");
    if (cellButton) { event.preventDefault(); run({widgets: true, only: cellButton.getAttribute("data-run-cell")}); return; }
    if (target.id === "run-all") { event.preventDefault(); run({widgets: true, all: true, focus: true}); return; }
    var moveButton = target.closest("[data-move]");
    if (moveButton) { event.preventDefault(); moveCell(moveButton.closest("section.cell"), moveButton.getAttribute("data-move")); return; }
    var previewButton = target.closest("[data-preview-cell]");
    if (previewButton) { event.preventDefault(); preview(previewButton); return; }
    var confirmText = target.getAttribute && target.getAttribute("data-confirm");
    if (confirmText && !window.confirm(confirmText)) event.preventDefault();
  });

  form.addEventListener("keydown", function (event) {
    if (!event.altKey || !event.shiftKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    var section = event.target.closest("section.cell");
    if (!section || !section.querySelector("[data-move]")) return;
    event.preventDefault();
    moveCell(section, event.key === "ArrowUp" ? "up" : "down");
  });

  form.addEventListener("submit", function () {
    // Saved: the next page says so (data-saved) and the copy is dropped. Refused: the
    // same lock version comes back and the copy is restored. Someone else saved first:
    // a newer lock version comes back and the merge choice is offered.
    var now = snapshot();
    write(differs(now) ? {base: lockVersion, data: now, submitted: true} : null);
  });

  document.getElementById("discard-restored").addEventListener("click", function () {
    write(null);
    window.location.reload();
  });

  restore();
  var problemCell = form.getAttribute("data-problem-cell");
  if (!(problemCell && focusCell(problemCell))) {
    var problem = document.getElementById("problem");
    if (problem) problem.focus();
  }
  run({widgets: true, all: true});
  }
  window.MotcuaEditor = {init: init};
  init();
})();
