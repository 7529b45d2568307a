// The receipt's print button (no inline script under the Content-Security-Policy): shown only
// where scripts run; without them the page says to use the browser's own print command.
(function () {
  "use strict";
  var button = document.getElementById("print-receipt");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
