// The decide pages: "The criterion that is not met" lists only the criteria of the set chosen in
// "Criteria the decision rests on" (each option's data-set names its set); picking a criterion
// first chooses its set. Without this script every criterion is listed and the server refuses a
// criterion of another set with a field message.
(function () {
  "use strict";

  function wire(fieldset) {
    const setSelect = fieldset.querySelector('select[name$="-criteria_set"]');
    const criterion = fieldset.querySelector("select[data-criterion-for-set]");
    if (!setSelect || !criterion) return;

    function filter() {
      const chosen = setSelect.value;
      criterion.querySelectorAll("option[data-set]").forEach((option) => {
        const off = chosen !== "" && option.dataset.set !== chosen;
        option.hidden = off;
        option.disabled = off;
      });
      criterion.querySelectorAll("optgroup").forEach((group) => {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      const picked = criterion.selectedOptions[0];
      if (picked && picked.hidden) criterion.value = "";
    }

    setSelect.addEventListener("change", filter);
    criterion.addEventListener("change", () => {
      const picked = criterion.selectedOptions[0];
      if (picked && picked.dataset.set && setSelect.value === "") {
        setSelect.value = picked.dataset.set;
        filter();
      }
    });
    filter();
  }

  document.querySelectorAll("fieldset.line-decision").forEach(wire);
})();
