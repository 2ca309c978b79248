import { fnv1a } from "../lib/fnv";

// The site's own stylesheet: no framework, light and dark, readable measure.
export const STYLESHEET = `
:root{color-scheme:light dark;--bg:#fdfcfa;--fg:#1d1d1f;--muted:#5b5b63;--accent:#0b5cad;--accent-fg:#fff;--line:#dedbd5;--card:#fff;--code:#f2efe9;--focus:#c2410c;--measure:42rem}
@media (prefers-color-scheme:dark){:root{--bg:#16171a;--fg:#ecebe8;--muted:#a9a8ae;--accent:#8cc1ff;--accent-fg:#0b1624;--line:#34353b;--card:#1e1f23;--code:#26272c;--focus:#fdba74}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word;hyphens:auto}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip-link{position:absolute;left:1rem;top:-3rem;padding:.5rem 1rem;background:var(--accent);color:var(--accent-fg);z-index:10;text-decoration:none;border-radius:0 0 .25rem .25rem}
.skip-link:focus{top:0}
.wrap{max-width:var(--measure);margin:0 auto;padding:0 1.25rem}
.site-header{border-bottom:1px solid var(--line);padding:1.25rem 0 1rem;margin-bottom:2rem}
.site-title{font-size:1.5rem;font-weight:700;color:var(--fg);text-decoration:none}
.site-description{margin:.25rem 0 0;color:var(--muted);font-size:.95rem}
main{display:block;min-height:50vh}
h1,h2,h3,h4{line-height:1.25;margin:2rem 0 .75rem;hyphens:manual}
h1{font-size:clamp(1.75rem,4vw,2.4rem);margin-top:0}
h2{font-size:1.45rem}
h3{font-size:1.2rem}
p,ul,ol,blockquote,pre,table{margin:0 0 1.1rem}
img{max-width:100%;height:auto;border-radius:.25rem}
blockquote{margin-left:0;padding-left:1rem;border-left:4px solid var(--line);color:var(--muted)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--code);border-radius:.25rem}
code{padding:.1em .3em}
pre{padding:1rem;overflow-x:auto}
pre code{padding:0;background:none}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left}
li+li{margin-top:.35rem}
.meta{color:var(--muted);font-size:.95rem;margin:0 0 .5rem}
.tag-list{list-style:none;padding:0;margin:.5rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem}
.tag-list li{margin:0}
.tag-list a{display:inline-block;padding:.1rem .6rem;border:1px solid var(--line);border-radius:1rem;font-size:.85rem;text-decoration:none}
.article-list{list-style:none;padding:0;margin:0}
.article-list>li{margin:0 0 1.5rem;padding:0 0 1.5rem;border-bottom:1px solid var(--line)}
.article-list h2{margin:0 0 .35rem;font-size:1.35rem}
.article-list h2 a{color:var(--fg);text-decoration:none}
.article-list h2 a:hover{text-decoration:underline}
.article-header{margin-bottom:1.5rem}
.article-body{font-size:1.075rem}
.article-footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid var(--line)}
.pagination{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0;flex-wrap:wrap}
.pagination .current{color:var(--muted)}
.site-footer{border-top:1px solid var(--line);margin-top:3rem;padding:1.5rem 0;color:var(--muted);font-size:.9rem}
.comments{margin-top:3rem;padding-top:1.5rem;border-top:1px solid var(--line)}
.comments h2 small{font-weight:400;color:var(--muted);font-size:.9rem}
.comment-list,.comment-list .children{list-style:none;padding:0;margin:0}
.comment-list .children{margin-left:1.25rem;padding-left:1rem;border-left:2px solid var(--line)}
.comment>article{margin:0 0 1.25rem}
.comment-meta{color:var(--muted);font-size:.95rem}
.comment-meta b{color:var(--fg)}
.comment-body{margin:.35rem 0}
.comment-body p{margin:0 0 .6rem}
.comment-reply{margin:0;font-size:.9rem}
.notice{padding:.75rem 1rem;border-left:4px solid var(--accent);background:var(--card)}
.comment-respond{margin-top:2rem}
.comment-form label{display:block;font-weight:600;margin-bottom:.2rem}
.comment-form input[type=text],.comment-form input[type=email],.comment-form input[type=url],.comment-form textarea{width:100%;padding:.55rem .65rem;font:inherit;color:var(--fg);background:var(--card);border:1px solid var(--muted);border-radius:.25rem}
.comment-form [aria-invalid=true]{border-color:#b91c1c;border-width:2px}
.comment-form .comment-form-cookies-consent label{display:inline;font-weight:400}
.comment-form button{font:inherit;font-weight:600;padding:.6rem 1.2rem;background:var(--accent);color:var(--accent-fg);border:0;border-radius:.25rem;cursor:pointer}
.comment-form button:hover{filter:brightness(1.1)}
.required{color:#b91c1c}
.field-error{display:block;color:#b91c1c;font-size:.95rem;margin-top:.2rem}
.form-error{padding:.75rem 1rem;border-left:4px solid #b91c1c;background:var(--card)}
.form-allowed-tags{font-size:.9rem;color:var(--muted)}
.form-allowed-tags code{white-space:normal}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
@media (prefers-color-scheme:dark){.required,.field-error{color:#fca5a5}.comment-form [aria-invalid=true]{border-color:#fca5a5}.form-error{border-color:#fca5a5}}
main.wrap:has(.admin-bar){max-width:84rem}
.admin-bar{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap}
.admin-bar h1{margin:0}
.inline-form{display:inline}
.status-nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
.status-nav [aria-current=page]{font-weight:700;text-decoration:none}
.filter-form{margin:1rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.filter-form input,.filter-form select,.bulk select{font:inherit;padding:.3rem .4rem}
.table-wrap{overflow-x:auto}
.admin-table{font-size:.95rem}
.admin-table caption{text-align:left;font-weight:600;padding:.4rem 0}
.admin-table td{vertical-align:top}
.row-actions{display:flex;flex-wrap:wrap;gap:.35rem;align-items:flex-start}
button{font:inherit;cursor:pointer;padding:.3rem .7rem;border:1px solid var(--muted);border-radius:.25rem;background:var(--card);color:var(--fg)}
button.danger{border-color:#b91c1c;color:#b91c1c}
.reasons{font-size:.9rem;color:var(--muted)}
.reasons ul{margin:.2rem 0 0;padding-left:1.2rem}
.details{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}
.details dt{font-weight:600}
.details dd{margin:0}
.failed li{margin-bottom:1rem}
.failed pre{white-space:pre-wrap;font-size:.8rem;max-height:8rem;overflow:auto}
@media (prefers-color-scheme:dark){button.danger{border-color:#fca5a5;color:#fca5a5}}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
@media print{.site-header,.site-footer,.skip-link,.pagination{display:none}a{color:inherit}}
`.trim();

// The URL changes whenever the bytes do, so the file can be cached for a year.
export const STYLESHEET_VERSION = fnv1a(STYLESHEET);
export const STYLESHEET_PATH = `/assets/style.css`;
