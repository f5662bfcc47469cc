// Mark the page as scripted before it paints (GOV.UK Frontend convention).
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
