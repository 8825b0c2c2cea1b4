// "Choose as lead" (brokers/case_assign.html) fills the lead select; the form works without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("assign-form");
    if (!form) { return; }
    document.querySelectorAll(".choose-lead").forEach(function (button) {
      button.addEventListener("click", function () {
        var select = document.getElementById(form.dataset.leadSelect);
        select.value = button.dataset.pk;
        select.dispatchEvent(new Event("change"));
        select.focus();
      });
    });
  });
})();
