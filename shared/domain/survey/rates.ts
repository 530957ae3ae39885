import type { SurveyDefinition } from '../methodology/schema';

/** What the rates need from an invitation: its category and whether its code was used. */
export interface InvitationState {
  kode: string;
  category: string;
  used: boolean;
}

export interface CategoryRate {
  category: string;
  name: { id: string; en: string };
  invited: number;
  answered: number;
  /** answered / invited, 4 decimals; 0 without invitations. */
  rate: number;
}

export interface ResponseRates {
  invited: number;
  answered: number;
  rate: number;
  categories: CategoryRate[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

/**
 * Response rates per category. Computed from the invitations only (never from the answers, which
 * carry no category), so a rate says who took part, never what anyone answered.
 */
export function responseRates(
  survey: SurveyDefinition,
  invitations: readonly InvitationState[],
): ResponseRates {
  const names = new Map((survey.quotas ?? []).map((q) => [q.role, q.name]));
  const order = [...new Set([...(survey.roles ?? []), ...invitations.map((i) => i.category)])];
  const categories: CategoryRate[] = [];
  for (const category of order) {
    const of = invitations.filter((i) => i.category === category);
    if (of.length === 0 && !names.has(category)) continue;
    const answered = of.filter((i) => i.used).length;
    categories.push({
      category,
      name: names.get(category) ?? { id: category, en: category },
      invited: of.length,
      answered,
      rate: ratio(answered, of.length),
    });
  }
  const answered = invitations.filter((i) => i.used).length;
  return { invited: invitations.length, answered, rate: ratio(answered, invitations.length), categories };
}
