// Small WordPress exports (WXR 1.2) written by the tests themselves: the
// channel of a site at https://alt.test and items with only the fields a test
// cares about (the rest as WordPress writes them for a published post).

export interface WxrItemFields {
  id: string;
  title: string;
  content?: string;
  name?: string;
  status?: string;
  type?: string;
  /** Whole <wp:comment> elements, as written by wxrComment. */
  comments?: string[];
  /** More elements, as XML. */
  extra?: string;
}

export function wxrItem(fields: WxrItemFields): string {
  const name = fields.name ?? `beitrag-${fields.id}`;
  return `<item>
<title>${fields.title}</title>
<link>https://alt.test/${name}/</link>
<dc:creator><![CDATA[anna]]></dc:creator>
<content:encoded><![CDATA[${fields.content ?? "Text"}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>${fields.id}</wp:post_id>
<wp:post_date>2020-01-02 11:00:00</wp:post_date>
<wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>${name}</wp:post_name>
<wp:status>${fields.status ?? "publish"}</wp:status>
<wp:post_type>${fields.type ?? "post"}</wp:post_type>
<wp:post_password></wp:post_password>
${fields.extra ?? ""}${(fields.comments ?? []).join("\n")}
</item>`;
}

export function wxrComment(id: string, approved: string, content: string): string {
  return `<wp:comment>
<wp:comment_id>${id}</wp:comment_id>
<wp:comment_author><![CDATA[Leserin ${id}]]></wp:comment_author>
<wp:comment_author_email>leserin${id}@alt.test</wp:comment_author_email>
<wp:comment_date_gmt>2020-01-03 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[${content}]]></wp:comment_content>
<wp:comment_approved>${approved}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>0</wp:comment_parent>
</wp:comment>`;
}

/** A whole export; `declaration` replaces the XML declaration (the encoding a test declares). */
export function wxrExport(items: string[], declaration = '<?xml version="1.0" encoding="UTF-8"?>'): string {
  return `${declaration}
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Alt</title>
<link>https://alt.test</link>
<language>de-DE</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://alt.test</wp:base_site_url>
<wp:base_blog_url>https://alt.test</wp:base_blog_url>
${items.join("\n")}
</channel>
</rss>
`;
}
