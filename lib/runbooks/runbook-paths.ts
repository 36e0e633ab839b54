// Where the runbooks are in the repository and where the portal shows them. Apart from the check, so the
// alert rules and pages that link a runbook load no Markdown parser.

export const RUNBOOKS_DIR = "docs/runbooks";
export const RUNBOOKS_PAGE = "/runbooks";

export function runbookFile(name: string): string {
  return `${RUNBOOKS_DIR}/${name}.md`;
}

/** The portal's path of a runbook (and a heading in it): /runbooks/clinical#checks. */
export function runbookPath(name: string, anchor?: string): string {
  return `${RUNBOOKS_PAGE}/${name}${anchor ? `#${anchor}` : ""}`;
}
