import type { Scope } from '../../core/database/tenancy.ts';
import { namesOf } from '../../core/people.ts';
import type { RecordWriter } from '../../core/record.ts';
import { goalsOf } from '../coaching/goals.ts';
import { budgetForExport } from './budget.ts';

const w = (key: string) => `personal-budget.${key}`;

/**
 * The personal budget section of the person's record: the balance, every request with its questions
 * and receipt details (never the photo), and the whole ledger, money as pence with its words and
 * everyone named.
 */
export async function personalBudgetRecord(scope: Scope, personId: string, r: RecordWriter) {
  const budget = await budgetForExport(scope, personId);
  if (!budget) return { personalBudget: null };
  const people = [
    ...budget.requests.flatMap((request) => [
      request.askedBy,
      request.decidedBy,
      request.spentBy,
      ...request.questions.flatMap((question) => [question.askedBy, question.answeredBy]),
    ]),
    ...budget.ledger.map((line) => line.recordedBy),
  ].filter((one): one is string => !!one);
  const names = await namesOf(scope, [...new Set(people)]);
  const name = (id: string | null) => r.name(names, id);
  // A request towards a goal names the goal in the person's words (the coaching module keeps goals).
  const goalWords = new Map((await goalsOf(scope, personId)).map((goal) => [goal.id, goal.words]));
  return {
    personalBudget: {
      balance: r.money(budget.balancePence),
      approvedNotSpent: r.money(budget.approvedPence),
      openedAt: r.at(budget.openedAt),
      requests: budget.requests.map((request) => ({
        id: request.id,
        words: request.words,
        amount: r.money(request.amountPence),
        goalId: request.goalId,
        towardsGoal: request.goalId ? (goalWords.get(request.goalId) ?? null) : null,
        status: r.code(request.status, w(`status.${request.status}`)),
        askedBy: name(request.askedBy),
        askedAt: r.at(request.askedAt),
        decidedBy: name(request.decidedBy),
        decidedAt: r.at(request.decidedAt),
        decisionWords: request.decisionWords,
        overBalance: request.override,
        overBalanceWords: request.overrideWords,
        spent: request.spentPence === null ? null : r.money(request.spentPence),
        spentBy: name(request.spentBy),
        spentAt: r.at(request.spentAt),
        questions: request.questions.map((question) => ({
          question: question.question,
          askedBy: name(question.askedBy),
          askedAt: r.at(question.askedAt),
          answer: question.answer,
          answeredBy: name(question.answeredBy),
          answeredAt: r.at(question.answeredAt),
        })),
        receipt: request.receipt
          ? {
              id: request.receipt.id,
              kindOfFile: r.code(
                request.receipt.contentType,
                w(`myRecord.values.${request.receipt.contentType}`),
              ),
              sizeBytes: request.receipt.sizeBytes,
              uploadedAt: r.at(request.receipt.uploadedAt),
            }
          : null,
      })),
      ledger: budget.ledger.map((line) => ({
        entryId: line.id,
        kind: r.code(line.kind, w(`myRecord.values.${line.kind}`)),
        change: r.money(line.pence),
        words: line.words,
        forRequest: line.requestWords,
        correctsEntryId: line.reversesEntryId,
        correctedLater: line.reversed,
        overBalance: line.override,
        overBalanceWords: line.overrideWords,
        recordedBy: name(line.recordedBy),
        recordedAt: r.at(line.createdAt),
        balanceAfter: r.money(line.balanceAfter),
      })),
    },
  };
}
