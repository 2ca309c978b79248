// The moderation numbers above the list (computed in comments/desk-stats.ts).
import type { DeskStats } from "../../comments/desk-stats";
import { formatDuration } from "../../i18n";
import { usePage } from "../page-context";

export function StatsView(props: { stats: DeskStats; now: number }) {
  const { t, lang } = usePage();
  const { stats } = props;
  return (
    <section aria-labelledby="stats-title" class="desk-stats">
      <h2 id="stats-title">{t("adminStats")}</h2>
      <dl>
        <div>
          <dt>{t("adminStatsWaiting")}</dt>
          <dd>{stats.waiting}</dd>
        </div>
        <div>
          <dt>{t("adminStatsOldest")}</dt>
          <dd>{stats.oldestWaitingAt === null ? "–" : formatDuration(props.now - stats.oldestWaitingAt, lang)}</dd>
        </div>
        <div>
          <dt>{t("adminStatsDecisions")}</dt>
          <dd>{stats.decisions}</dd>
        </div>
        <div>
          <dt>{t("adminStatsMedian")}</dt>
          <dd>{stats.medianDecisionMs === null ? "–" : formatDuration(stats.medianDecisionMs, lang)}</dd>
        </div>
      </dl>
    </section>
  );
}
