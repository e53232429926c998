/* htmx leaves 4xx answers unswapped by default. Our 400 (bad input) and 409 (the case moved on)
   answers carry the form or panel with its error message, so show them in place. */
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
