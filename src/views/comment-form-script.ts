import { fnv1a } from "../lib/fnv";

// The one script on the site: it fills the comment form from the
// "save my details" cookie. Pages are the same for everyone (so the edge can
// cache them); the submitter's own browser fills in their details. Without
// JavaScript the form still works, just empty.
export const COMMENT_FORM_SCRIPT = `(function () {
  var match = document.cookie.match(/(?:^|;\\s*)comment_author=([A-Za-z0-9_-]+)/);
  if (!match) return;
  try {
    var binary = atob(match[1].replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var saved = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(saved)) return;
    ["author", "email", "url"].forEach(function (id, index) {
      var field = document.getElementById(id);
      if (field && !field.value && typeof saved[index] === "string") field.value = saved[index];
    });
    var remember = document.getElementById("remember");
    if (remember) remember.checked = true;
  } catch (error) {
    /* a damaged cookie: leave the form as it is */
  }
})();
`;

export const COMMENT_FORM_SCRIPT_PATH = "/assets/comment-form.js";
export const COMMENT_FORM_SCRIPT_VERSION = fnv1a(COMMENT_FORM_SCRIPT);
