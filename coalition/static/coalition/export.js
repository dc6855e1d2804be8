// django-import-export's export page wires its "select all" box with an inline onchange attribute,
// which the Content Security Policy blocks; this does the same from a script file. When both run
// (a policy in report-only mode), setting every box to the toggle's state twice changes nothing.
"use strict";
document.addEventListener("change", function (event) {
  if (event.target.matches(".select-toggle") && typeof onSelectToggleChange === "function") {
    onSelectToggleChange(event);
  }
});
