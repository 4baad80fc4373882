import type { ContentRow, ModelScoreRow, ReviewCaseRow, ReviewTaskRow } from '@loupe/database';
import type { ExposureStatus } from '../../wellbeing/exposure.service';
import { latestPerModel } from '../decisions/score-snapshots';

export interface ReviewTaskView {
  task: ReviewTaskRow;
  case: ReviewCaseRow;
  /** What the moderator is told brought the item here; a gold task passes for ordinary work. */
  source: string;
  content: ContentRow;
  scores: ModelScoreRow[];
  machineReason: string | null;
  exposure: ExposureStatus;
}

/** What a moderator is shown of a task they hold. */
export function toTaskView(task: ReviewTaskRow, caseRow: ReviewCaseRow, content: ContentRow, scores: ModelScoreRow[], exposure: ExposureStatus): ReviewTaskView {
  return {
    task,
    case: caseRow,
    // A gold task passes for ordinary work.
    source: caseRow.source === 'gold' ? 'model' : caseRow.source,
    content,
    scores: latestPerModel(scores),
    // Why the case was opened: the machine's reason, a report's, an appeal's. Never what earlier reviewers said: reviews stay blind.
    machineReason: caseRow.reason,
    exposure,
  };
}
