/* The party's facts form: Art 8(1)'s conditions only matter for circumstance 1
   (progressive enhancement; the form works without it). */
(function () {
  "use strict";
  var item = document.getElementById("id_circumstance");
  var list = document.getElementById("id_conditions");
  var field = list && list.closest(".field");
  if (!item || !field) { return; }
  function update() { field.hidden = item.value !== "1"; }
  item.addEventListener("change", update);
  update();
}());
