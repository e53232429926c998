// The review screen: when a field that came from the fax has focus, outline where on the page it
// was read (data-page, data-bbox as fractions x0,y0,x1,y1) and scroll the page image to it.
(function () {
  "use strict";
  function show(el) {
    var bbox = (el.getAttribute("data-bbox") || "").split(",").map(Number);
    var figure = document.querySelector('.inbox-page[data-page="' + el.getAttribute("data-page") + '"]');
    document.querySelectorAll(".inbox-highlight").forEach(function (h) { h.hidden = true; });
    if (!figure || bbox.length !== 4 || bbox.some(isNaN)) { return; }
    var box = figure.querySelector(".inbox-highlight");
    box.style.left = (bbox[0] * 100) + "%";
    box.style.top = (bbox[1] * 100) + "%";
    box.style.width = ((bbox[2] - bbox[0]) * 100) + "%";
    box.style.height = ((bbox[3] - bbox[1]) * 100) + "%";
    box.hidden = false;
    box.setAttribute("data-showing", el.getAttribute("data-field") || "");
    box.scrollIntoView({block: "center", behavior: "smooth"});
  }
  document.addEventListener("focusin", function (event) {
    var el = event.target.closest("[data-bbox]");
    if (el) { show(el); }
  });
})();
