// The OpenSearch description (https://github.com/dewitt/opensearch): lets
// browsers add the site's search. Pure.
import { XML_DECLARATION, xmlElement, xmlEmptyElement } from "./xml";

/** The spec allows a ShortName of at most 16 characters. */
const SHORT_NAME_MAX = 16;

export function renderOpenSearch(site: { title: string; description: string; url: string }, lang: string): string {
  const shortName = [...site.title].slice(0, SHORT_NAME_MAX).join("");
  return [
    XML_DECLARATION,
    '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
    xmlElement("ShortName", shortName),
    xmlElement("Description", site.description || site.title),
    xmlElement("InputEncoding", "UTF-8"),
    xmlElement("Language", lang),
    xmlEmptyElement("Url", { type: "text/html", method: "get", template: `${site.url}/search?q={searchTerms}` }),
    xmlEmptyElement("Url", { type: "application/opensearchdescription+xml", rel: "self", template: `${site.url}/opensearch.xml` }),
    "</OpenSearchDescription>",
    "",
  ].join("\n");
}
