// Accessible names the Django admin's widgets leave out, found by the accessibility walk
// (tests/e2e/test_every_page_admin_p2p.py). Runs after the admin's own widgets are built.
(function () {
  "use strict";

  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
    return false;
  }

  // Inputs in a table (list_editable columns, tabular inlines) are named by their column header.
  function nameTableInputs() {
    document.querySelectorAll("table td input, table td select, table td textarea").forEach((el) => {
      if (el.type === "hidden" || hasName(el)) return;
      const cell = el.closest("td");
      const table = el.closest("table");
      const headers = table.querySelectorAll("thead th");
      const index = [...cell.parentElement.children].indexOf(cell);
      const header = headers[index];
      const column = header ? header.textContent.trim() : "";
      const row = [...table.tBodies[0].rows].indexOf(cell.parentElement) + 1;
      if (column) el.setAttribute("aria-label", `${column}, row ${row}`);
    });
  }

  // The date and time halves of a split date-time field share one label.
  function nameSplitDateTimes() {
    document.querySelectorAll("p.datetime").forEach((p) => {
      const label = p.closest(".form-row, .fieldBox, div")?.querySelector("label");
      const field = label ? label.textContent.replace(/:$/, "").trim() : "";
      p.querySelectorAll("input.vDateField, input.vTimeField").forEach((el) => {
        if (hasName(el)) return;
        const part = el.classList.contains("vDateField") ? "date" : "time";
        el.setAttribute("aria-label", field ? `${field}, ${part}` : part);
      });
    });
  }

  // The filter widgets' help icons carry an aria-label on a role-less span
  // (aria-prohibited-attr); as an image they may.
  function nameHelpIcons() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((el) => {
      el.setAttribute("role", "img");
    });
  }

  // At phone width the admin lets inline groups scroll sideways; a keyboard must reach them.
  function focusableScrollers() {
    document.querySelectorAll(".inline-group").forEach((group) => {
      if (group.scrollWidth > group.clientWidth) {
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "region");
        const heading = group.querySelector("h2");
        if (heading) group.setAttribute("aria-label", heading.textContent.trim());
      } else if (group.getAttribute("tabindex") === "0") {
        group.removeAttribute("tabindex");
      }
    });
  }

  function fix() {
    nameTableInputs();
    nameSplitDateTimes();
    nameHelpIcons();
    focusableScrollers();
  }

  // The admin's SelectFilter and calendar widgets build themselves on "load"; run after them.
  window.addEventListener("load", () => setTimeout(fix, 0));
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("formset:added", fix);
})();
