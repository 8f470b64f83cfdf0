/* Ward pickers of address fields and of `choices_source: "wards"` fields.
   The server searches (GET …/don-vi/tim?q=…, at most 20 wards of the ward's province)
   and converts old addresses (GET …/don-vi/dia-chi-cu?q=…); this file only shows the
   answers and writes the picked code into the hidden input the form sends
   (data-picker-value: a ward code, or {"text", "ward_code"} JSON for an address).
   Event delegation on the document, so widgets redrawn by the editor keep working. */
(function () {
  "use strict";
  if (window.MotcuaWardPicker) return;

  var timers = new WeakMap();
  var counter = 0;

  function pickerOf(el) { return el.closest("[data-ward-picker]"); }
  function part(picker, attr) { return picker.querySelector("[" + attr + "]"); }

  function setStatus(picker, text) { part(picker, "data-picker-status").textContent = text; }

  /* Write the current street text and ward code into the hidden input and tell the form. */
  function commit(picker, code, label, quiet) {
    var hidden = part(picker, "data-picker-value");
    var search = part(picker, "data-picker-search");
    if (code !== undefined) {
      search.setAttribute("data-code", code || "");
      search.setAttribute("data-picked", label || "");
    }
    var ward = search.getAttribute("data-code") || "";
    if (hidden.hasAttribute("data-address")) {
      var text = part(picker, "data-picker-text").value;
      hidden.value = (text.trim() || ward) ? JSON.stringify({text: text, ward_code: ward || null}) : "";
    } else {
      hidden.value = ward;
    }
    if (!quiet) {
      hidden.dispatchEvent(new Event("input", {bubbles: true}));
      hidden.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }

  function closeList(picker) {
    var list = part(picker, "data-picker-list");
    var search = part(picker, "data-picker-search");
    list.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }

  function pick(picker, option) {
    var search = part(picker, "data-picker-search");
    var label = option.getAttribute("data-label");
    search.value = label;
    commit(picker, option.getAttribute("data-code"), label);
    closeList(picker);
    setStatus(picker, "Đã chọn: " + label + " / Picked");
    search.focus();
  }

  function showResults(picker, results) {
    var list = part(picker, "data-picker-list");
    var search = part(picker, "data-picker-search");
    list.textContent = "";
    results.forEach(function (ward, index) {
      var li = document.createElement("li");
      li.id = list.id + "-" + (++counter);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", index === 0 ? "true" : "false");
      li.setAttribute("data-code", ward.code);
      li.setAttribute("data-label", ward.label);
      li.textContent = ward.label + " (" + ward.code + ")";
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    search.setAttribute("aria-expanded", results.length ? "true" : "false");
    if (results.length) search.setAttribute("aria-activedescendant", list.firstChild.id);
    setStatus(picker, results.length
      ? results.length + " kết quả, dùng ↑ ↓ và Enter để chọn / " + results.length + " results, use ↑ ↓ and Enter"
      : "Không tìm thấy xã, phường nào / No ward found");
  }

  function search(picker) {
    var input = part(picker, "data-picker-search");
    var url = picker.getAttribute("data-search-url") + "?q=" + encodeURIComponent(input.value);
    var mine = ++counter;
    picker.setAttribute("data-query", String(mine));
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (picker.getAttribute("data-query") !== String(mine)) return;  // a newer query is on its way
        showResults(picker, body.results || []);
      });
  }

  function move(picker, step) {
    var list = part(picker, "data-picker-list");
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    if (!options.length) return;
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    var next = Math.max(0, Math.min(options.length - 1, current + step));
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === next ? "true" : "false"); });
    part(picker, "data-picker-search").setAttribute("aria-activedescendant", options[next].id);
    options[next].scrollIntoView({block: "nearest"});
  }

  function convert(picker) {
    var old = part(picker, "data-old-text");
    var hint = part(picker, "data-old-hint");
    var list = part(picker, "data-old-candidates");
    var url = picker.getAttribute("data-convert-url") + "?q=" + encodeURIComponent(old.value);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (body) {
        hint.textContent = body.hint || "";
        list.textContent = "";
        (body.candidates || []).forEach(function (ward) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "secondary small-button";
          button.setAttribute("data-old-pick", ward.code);
          button.setAttribute("data-label", ward.label);
          button.setAttribute("data-code", ward.code);
          button.textContent = "Chọn / Pick: " + ward.label;
          li.appendChild(button);
          list.appendChild(li);
        });
      });
  }

  // Capture phase: the hidden value is up to date before the form's own listeners run.
  document.addEventListener("input", function (event) {
    var target = event.target;
    var picker = target.closest && pickerOf(target);
    if (!picker) return;
    if (target.hasAttribute("data-picker-text")) {
      commit(picker, undefined, undefined, true);
    } else if (target.hasAttribute("data-picker-search")) {
      // Typing undoes the pick until a ward is chosen again.
      if (target.value !== target.getAttribute("data-picked")) {
        commit(picker, "", "", true);
        setStatus(picker, "");
      }
      clearTimeout(timers.get(picker));
      timers.set(picker, setTimeout(function () { search(picker); }, 200));
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var picker = target.closest && pickerOf(target);
    if (!picker) return;
    if (target.hasAttribute("data-picker-search")) {
      var list = part(picker, "data-picker-list");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { search(picker); return; }
        move(picker, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        event.preventDefault();  // never submit the whole form from the picker
        var chosen = list.hidden ? null : list.querySelector("[aria-selected=true]");
        if (chosen) pick(picker, chosen);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        closeList(picker);
      }
    } else if (target.hasAttribute("data-old-text") && event.key === "Enter") {
      event.preventDefault();
      convert(picker);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    var picker = target.closest && pickerOf(target);
    if (!picker) {
      document.querySelectorAll("[data-ward-picker]").forEach(closeList);
      return;
    }
    var option = target.closest("[role=option]");
    if (option) { event.preventDefault(); pick(picker, option); return; }
    if (target.hasAttribute("data-old-convert")) { event.preventDefault(); convert(picker); return; }
    if (target.hasAttribute("data-old-pick")) { event.preventDefault(); pick(picker, target); }
  });

  window.MotcuaWardPicker = {search: search, convert: convert};
})();
