// An exercise's post-incident review in Markdown: what happened (the hidden truth and the faults as the
// conductor injected them) beside what the player saw and did (their timeline, the levers the audit
// recorded), and the score. The JSON form is the instructor view itself.
import { describeEntity, describeMitigation } from "./exercise-catalog.ts";
import { type InstructorView, describeAct } from "./exercise-run.ts";
import { sloMinutes, wholeMinutes } from "./exercise-score.ts";

const clock = (iso: string) => iso.slice(11, 19);
const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
const after = (from: string, at: string) => `+${Math.max(0, Math.round((Date.parse(at) - Date.parse(from)) / 1000))} s`;

export function exerciseReviewMarkdown(r: InstructorView): string {
  const s = r.score;
  const timeline = [
    ...r.faults.flatMap((f) => (f.launchedAt ? [{ at: f.launchedAt, who: "hidden", text: `fault injected: ${f.drill} (${f.drillRunId})` }] : [])),
    ...r.faults.flatMap((f) => (f.error ? [{ at: f.dueAt, who: "hidden", text: `fault ${f.drill} could not be injected: ${f.error}` }] : [])),
    ...r.hints.map((h) => ({ at: h.at, who: h.by, text: `hint: ${h.text}` })),
    ...r.acts.map((a) => ({ at: a.at, who: a.by, text: describeAct(a) })),
    ...(s?.wrongTargetActions ?? []).map((w) => ({ at: w.at, who: "player", text: `lever on the wrong target: ${w.action} ${w.target}` })),
    ...(s?.mitigation.lever && s.mitigation.at ? [{ at: s.mitigation.at, who: "player", text: `mitigation: ${describeMitigation(s.mitigation.lever)}` }] : []),
    ...(s?.mitigation.recoveredAt
      ? [{ at: s.mitigation.recoveredAt, who: "SLIs", text: `back within the SLO for ${wholeMinutes(r.withinSloMinutes)} from here` }]
      : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return [
    `# Post-incident review: ${r.title} (exercise)`,
    "",
    `- Exercise: \`${r.exercise}\` (run \`${r.id}\`), ${r.status}${r.endReason ? `: ${r.endReason}` : ""}`,
    `- When: ${r.startedAt.slice(0, 10)} ${clock(r.startedAt)} to ${r.endedAt ? clock(r.endedAt) : "now"} UTC`,
    `- Game master: ${r.startedBy} · players: ${[...new Set(r.acts.map((a) => a.by))].join(", ") || "none acted"}`,
    `- Request id: \`${r.requestId}\` · trace id: \`${r.traceId}\``,
    "- Data: synthetic lab records only",
    "",
    "## What was wrong",
    "",
    `${describeEntity(r.truth.entity)}, ${r.truth.faultClass}. Accepted mitigations: ${r.mitigations.map(describeMitigation).join(", ")}.`,
    "",
    "## Score",
    "",
    ...(s
      ? [
          `**${s.points} / 100.** ${s.summary}`,
          "",
          "| | |",
          "| --- | --- |",
          `| Acknowledged | ${s.acknowledged.at ? `${clock(s.acknowledged.at)} (${s.acknowledged.afterSeconds} s after the fault)` : "no"} |`,
          `| Diagnosis | ${s.diagnosis.entity ? `${describeEntity(s.diagnosis.entity)}, ${s.diagnosis.faultClass}` : "none"}: entity ${s.diagnosis.entityRight ? "right" : "wrong"}, class ${s.diagnosis.classRight ? "right" : "wrong"} |`,
          `| Right after | ${s.diagnosis.rightAfterSeconds === null ? "never" : `${s.diagnosis.rightAfterSeconds} s`} |`,
          `| Mitigated | ${s.mitigation.withinSlo ? "yes" : "no"}${s.mitigation.afterSeconds !== null ? `, lever ${s.mitigation.afterSeconds} s after the fault` : ""} |`,
          `| Levers on the wrong target | ${s.wrongTargetActions.length} |`,
          `| Other SLOs out of objective | ${sloMinutes(s.collateralMinutes)} |`,
          `| Hints | ${s.hints} |`,
          ...(s.falseAlarm ? ["| False alarm | an incident was declared on a healthy lab |"] : []),
        ]
      : ["Not scored yet: the exercise is under way."]),
    "",
    "## Timeline (UTC)",
    "",
    ...(timeline.length ? timeline.map((e) => `- ${clock(e.at)} (${after(r.startedAt, e.at)}) **${e.who}** ${cell(e.text)}`) : ["Nothing happened."]),
    "",
    "## What went well",
    "",
    "- ",
    "",
    "## What to do differently",
    "",
    "- ",
    "",
  ].join("\n");
}
