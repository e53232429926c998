/* Service and diagnosis search on the portal's request form: a hit, picked with a click or the
   keyboard (arrow keys from the search box, Enter or Space on a hit), fills the first empty line.
   No inline script: the Content-Security-Policy allows only our own files. */
(function () {
  "use strict";

  function firstEmpty(prefix, suffix, count) {
    for (var i = 1; i <= count; i++) {
      var input = document.getElementById(prefix + i + suffix);
      if (input && !input.value.trim()) return i;
    }
    return count;
  }

  function announce(container, text) {
    var status = container.closest(".code-search").querySelector(".code-pick-status");
    if (status) status.textContent = text;
  }

  function pick(hit) {
    var box = hit.closest("[data-fill]");
    if (!box) return;
    var data = hit.dataset;
    if (box.dataset.fill === "service") {
      var n = firstEmpty("id_line", "_code", 4);
      var set = function (suffix, value) {
        var field = document.getElementById("id_line" + n + suffix);
        if (field && value !== undefined) {
          field.value = value;
          field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      };
      set("_code_system", data.system);
      set("_code", data.code);
      set("_category", data.category);
      announce(box, "Line " + n + ": " + data.code + " " + data.description);
      var next = document.getElementById("id_line" + n + "_units");
      if (next) next.focus();
    } else {
      var d = firstEmpty("id_diagnosis", "", 4);
      var field = document.getElementById("id_diagnosis" + d);
      if (field) {
        field.value = data.code;
        field.dispatchEvent(new Event("change", { bubbles: true }));
        announce(box, "Diagnosis " + d + ": " + data.code + " " + data.description);
        field.focus();
      }
    }
  }

  function hitsOf(el) {
    var box = el.closest(".code-search");
    return box ? Array.prototype.slice.call(box.querySelectorAll(".code-hit")) : [];
  }

  document.addEventListener("click", function (event) {
    var hit = event.target.closest(".code-hit");
    if (hit) {
      event.preventDefault();
      pick(hit);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var isSearch = target.matches(".code-search input[type=search]");
    var isHit = target.matches(".code-hit");
    if (!isSearch && !isHit) return;
    var hits = hitsOf(target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!hits.length) return;
      event.preventDefault();
      var index = hits.indexOf(target);
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = isSearch ? (step > 0 ? 0 : hits.length - 1) : index + step;
      if (next < 0 || next >= hits.length) {
        target.closest(".code-search").querySelector("input[type=search]").focus();
      } else {
        hits[next].focus();
      }
    } else if (event.key === "Escape" && isHit) {
      target.closest(".code-search").querySelector("input[type=search]").focus();
    } else if (event.key === "Enter" && isSearch) {
      // Enter in the search box would submit the whole request form: pick the first hit instead.
      event.preventDefault();
      if (hits.length) pick(hits[0]);
    }
  });
})();
