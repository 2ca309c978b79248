import { raw } from "hono/html";
import type { PublicComment } from "../comments/queries";
import { MAX_THREAD_DEPTH } from "../comments/queries";
import { parseSafeUrl } from "../comments/sanitize";
import { DateTime, usePage } from "./page-context";

interface ThreadNode {
  comment: PublicComment;
  children: ThreadNode[];
}

/** Builds the reply tree; a reply whose parent is not shown stands at the top level. */
function buildThreads(comments: PublicComment[]): ThreadNode[] {
  const nodes = new Map(comments.map((comment) => [comment.id, { comment, children: [] as ThreadNode[] }]));
  const roots: ThreadNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/**
 * The one place where a comment's HTML enters a page unescaped: it was made by
 * renderCommentHtml, which writes every tag itself from an allowlist.
 */
function TrustedCommentBody(props: { html: string }) {
  return <div class="comment-body">{raw(props.html)}</div>;
}

/** The editor's mark beside a name: only for replies written in the admin (byEditor), never from a name. */
export function EditorBadge() {
  return <span class="comment-badge">{usePage().t("editorBadge")}</span>;
}

interface ListProps {
  /** The comment page's path: reply links come back to it. */
  pagePath: string;
  /** Replies are offered only while comments are open. */
  open: boolean;
  /** The submitter's own comment that waits for moderation (only on their own page), or null. */
  awaitingId: string | null;
}

/**
 * Levels that indent. Each level takes about 38 px; at a 390 px phone the
 * fifth leaves the text column about 200 px wide. Imported WordPress threads go
 * ten deep: their deeper replies line up with the fifth level and name whom
 * they answer (test/browser/comment-threads.test.ts measures the column).
 */
const INDENTED_LEVELS = 5;

interface ItemProps extends ListProps {
  node: ThreadNode;
  depth: number;
  /** The comment answered, named above the text when the reply no longer indents under it. */
  answers?: PublicComment;
}

function CommentItem(props: ItemProps) {
  const { t } = usePage();
  const { node, depth } = props;
  const c = node.comment;
  const awaiting = c.id === props.awaitingId;
  // A waiting comment's website is not linked, as WordPress does: nothing links out before an editor approved it.
  const website = c.url && !awaiting ? parseSafeUrl(c.url) : null;
  const nested = depth < INDENTED_LEVELS;
  return (
    <>
      <li id={`comment-${c.id}`} class={awaiting ? "comment unapproved" : "comment"}>
        {/* Its anchor on the old WordPress site, so that links to it from elsewhere land here. */}
        {c.wordpressId && <span id={`comment-${c.wordpressId}`} class="comment-anchor" />}
        <article>
          {props.answers && (
            <p class="comment-answers">
              <a href={`#comment-${props.answers.id}`}>{t("replyTo", { author: props.answers.author })}</a>
            </p>
          )}
          <footer class="comment-meta">
            <b class="comment-author">
              {website ? (
                <a href={website} rel="nofollow ugc noopener">
                  {c.author}
                </a>
              ) : (
                c.author
              )}
            </b>{" "}
            {c.byEditor && (
              <>
                <EditorBadge />{" "}
              </>
            )}
            {t("says")}:{" "}
            <a class="comment-permalink" href={`#comment-${c.id}`} title={t("commentPermalink")}>
              <DateTime at={c.createdAt} />
            </a>
          </footer>
          {awaiting && (
            <p class="comment-awaiting-moderation" role="status">
              {t("commentPending")}
            </p>
          )}
          <TrustedCommentBody html={c.bodyHtml} />
          {props.open && !awaiting && depth < MAX_THREAD_DEPTH && (
            <p class="comment-reply">
              <a href={`${props.pagePath}?replyto=${c.id}#respond`} rel="nofollow">
                {t("reply")}
              </a>
            </p>
          )}
        </article>
        {nested && node.children.length > 0 && (
          <ol class="children">
            {node.children.map((child) => (
              <CommentItem {...props} node={child} depth={depth + 1} answers={undefined} />
            ))}
          </ol>
        )}
      </li>
      {/* From the last indented level on, replies follow as siblings, in thread order. */}
      {!nested && node.children.map((child) => <CommentItem {...props} node={child} depth={depth + 1} answers={c} />)}
    </>
  );
}

export function CommentList(props: ListProps & { comments: PublicComment[] }) {
  if (props.comments.length === 0) return <p>{usePage().t("noCommentsYet")}</p>;
  return (
    <ol class="comment-list">
      {buildThreads(props.comments).map((node) => (
        <CommentItem {...props} node={node} depth={1} />
      ))}
    </ol>
  );
}
