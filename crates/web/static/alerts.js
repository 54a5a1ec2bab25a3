// Urgent alerts without a reload: asks the server every 20 seconds how many alerts wait for this
// user and updates the banner. Without JavaScript the banner is current on every page load.
(function () {
  "use strict";
  var banner = document.getElementById("alert-banner");
  if (!banner) { return; }
  var link = banner.querySelector("a");
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/alerts/poll");
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { return; }
      try {
        var answer = JSON.parse(request.responseText);
        link.textContent = answer.text;
        banner.hidden = answer.open === 0;
        banner.classList.toggle("escalated", answer.escalated > 0);
      } catch (e) { /* a login page or a proxy's error: keep the banner as it is */ }
    };
    request.send();
  }
  setInterval(poll, 20000);
}());
