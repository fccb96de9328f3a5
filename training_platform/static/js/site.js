// Progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Sign-up and profile: offer only the organisations of the chosen country.
  function filterOrganisations(form) {
    var country = form.querySelector("select[name='country']");
    var organisation = form.querySelector("select[data-organisation-select]");
    if (!country || !organisation) return;
    var update = function () {
      var chosen = country.value;
      Array.prototype.forEach.call(organisation.options, function (option) {
        var belongs = !option.value || option.getAttribute("data-country") === chosen;
        option.hidden = !belongs;
        option.disabled = !belongs;
        if (!belongs && option.selected) organisation.value = "";
      });
      Array.prototype.forEach.call(organisation.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    };
    country.addEventListener("change", update);
    update();
  }
  document.querySelectorAll("form").forEach(filterOrganisations);

  // Close an open user menu with Escape or a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
