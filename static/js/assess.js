/* The 测算 page: show Art 8(1)'s conditions for circumstance 1 only, and only the groups of
   the chosen role (progressive enhancement; the form works without it). */
(function () {
  "use strict";
  var form = document.querySelector(".assess-form");
  if (!form) { return; }
  var field = document.getElementById("conditions-field");
  function checked(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : "";
  }
  function update() {
    var role = checked("role");
    var item = checked("circumstance");
    field.hidden = item !== "1";
    form.querySelectorAll(".condition-group").forEach(function (group) {
      var show = !role || group.dataset.roles.split("|").indexOf(role) !== -1;
      group.hidden = !show;
      if (!show || item !== "1") {
        group.querySelectorAll("input").forEach(function (box) { box.checked = false; });
      }
    });
  }
  form.addEventListener("change", update);
  update();
}());
