// Who the editor is: the name and e-mail their replies are published under.
// The admin writes replies as them; the comment pipeline holds a reader's
// comment that passes for them. One definition, so both mean the same person.
import * as v from "valibot";
import { text } from "./parse";

export interface EditorIdentity {
  name: string;
  email: string;
}

/** The vars the identity is made of; spread into each concern's schema that needs it. */
export const editorEntries = {
  EDITOR_NAME: text(),
  EDITOR_EMAIL: text(),
  SITE_TITLE: text(),
  SITE_URL: v.pipe(text(), v.check(URL.canParse, "wrangler var SITE_URL must be an absolute URL")),
};

/** EDITOR_NAME (else SITE_TITLE) and EDITOR_EMAIL (else editor@<host of SITE_URL>). */
export function readEditorIdentity(s: { EDITOR_NAME: string; EDITOR_EMAIL: string; SITE_TITLE: string; SITE_URL: string }): EditorIdentity {
  return { name: s.EDITOR_NAME || s.SITE_TITLE, email: s.EDITOR_EMAIL || `editor@${new URL(s.SITE_URL).hostname}` };
}
