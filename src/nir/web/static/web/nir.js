// Progressive enhancement only; every page works without this file.
// Move focus to the error summary so keyboard and screen-reader users hear what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("feiloppsummering");
  if (summary) {
    summary.focus();
  }
});
