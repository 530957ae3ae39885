import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InvitationState } from '#domain/survey/rates';
import type { ListedRespondent, RespondentEntry } from '#domain/survey/respondents';
import { now as productNow } from '../clock';
import { batchPut } from './batch';
import { isConditionalCheckFailed } from './client';
import { putIfAbsent } from './guarded';
import { provinceOf, regionCode, segment } from './keys';
import { type AllPagesQuery, queryAll } from './query-all';
import { fromItem, type Item, nowIso, type TableContext } from './records';

/**
 * The IKKD survey channel (issue 14) in the single table. Three kinds of item, never linked:
 *
 * - respondent `SURVEY#{c}#{k}` / `RESP#{respondentId}`: name, position, category, contact (region + admin);
 * - invitation `INVITE#{codeHash}` / `INVITE`: region, category and the respondent it was issued to,
 *   `used` (no time of use: a time would let one match it to an answer); listed per province through
 *   gsi1 `SURVEYINV#{c}#{pp}` / `{kode}#{respondentId}` for response rates;
 * - answer `ANSWERS#{c}#{k}` / `ANS#{random uuid}`: the answers only. No code, respondent, category or
 *   time, and a random sort key, so neither content nor order ties an answer to a person.
 *
 * Beside them, the cycle's form settings `SURVEYSET#{c}` / `SETTINGS` (an admin's, with the reason).
 *
 * Using a code is one conditional write on the invitation (see `answer`), so a code answers exactly
 * once even when two submissions race.
 */
export interface InvitationRecord {
  cycleId: string;
  kode: string;
  category: string;
  respondentId: string;
  used: boolean;
  /** Set when an admin removed the respondent before the code was used: the code no longer answers. */
  revoked?: boolean;
  /** The window end when issued (informative; the cycle's calendar decides at use). */
  validUntil: string;
}

export interface RateWindow {
  /** What is limited, e.g. `code` or `client`; the key is hashed by the caller. */
  scope: string;
  key: string;
  limit: number;
  windowSeconds: number;
}

/** Per-cycle settings of the public form an admin may change (with a reason). */
export interface SurveySettings {
  /** Requests per client (source address) per minute on the form routes for this cycle's codes. */
  clientLimitPerMinute?: number;
}

const settingsKey = (cycleId: string) => ({ pk: `SURVEYSET#${segment(cycleId, 'cycleId')}`, sk: 'SETTINGS' });
const respondentKey = (cycleId: string, kode: string, respondentId: string) => ({
  pk: `SURVEY#${segment(cycleId, 'cycleId')}#${regionCode(kode)}`,
  sk: `RESP#${segment(respondentId, 'respondentId')}`,
});
const invitationKey = (codeHash: string) => ({ pk: `INVITE#${segment(codeHash, 'codeHash')}`, sk: 'INVITE' });
const answersPk = (cycleId: string, kode: string) =>
  `ANSWERS#${segment(cycleId, 'cycleId')}#${regionCode(kode)}`;
const provinceInvitations = (cycleId: string, kode: string) =>
  `SURVEYINV#${segment(cycleId, 'cycleId')}#${provinceOf(kode)}`;

export class SurveyRepository {
  constructor(private readonly ctx: TableContext) {}

  async listRespondents(cycleId: string, kode: string): Promise<ListedRespondent[]> {
    const pk = respondentKey(cycleId, kode, 'x').pk;
    return (
      await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': 'RESP#' },
      })
    ).map((i) => fromItem<ListedRespondent>(i));
  }

  /**
   * Replaces the list before any invitation: the old entries go, the new ones get fresh ids.
   * Refused (false) once an invitation exists, so codes already handed out keep their people.
   */
  async replaceRespondents(
    cycleId: string,
    kode: string,
    entries: readonly RespondentEntry[],
    by: string,
  ): Promise<ListedRespondent[] | undefined> {
    const current = await this.listRespondents(cycleId, kode);
    if (current.some((r) => r.invited)) return undefined;
    const at = nowIso(this.ctx);
    const fresh: ListedRespondent[] = entries.map((e, i) => ({
      ...e,
      respondentId: `R${String(i + 1).padStart(4, '0')}-${randomUUID().slice(0, 8)}`,
      addedBy: by,
      addedAt: at,
    }));
    await batchPut(
      this.ctx,
      fresh.map((r) => ({
        ...respondentKey(cycleId, kode, r.respondentId),
        entity: 'SURVEY_RESPONDENT',
        cycleId,
        kode,
        ...r,
      })),
    );
    // The new list is in place before the old one goes: a crash in between leaves both, never neither.
    for (const r of current)
      await this.ctx.doc.send(
        new DeleteCommand({
          TableName: this.ctx.tableName,
          Key: respondentKey(cycleId, kode, r.respondentId),
        }),
      );
    return fresh;
  }

  async addRespondent(
    cycleId: string,
    kode: string,
    entry: RespondentEntry,
    by: string,
    reason: string,
  ): Promise<ListedRespondent> {
    const respondent: ListedRespondent = {
      ...entry,
      respondentId: `A-${randomUUID().slice(0, 13)}`,
      addedBy: by,
      addedAt: nowIso(this.ctx),
    };
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...respondentKey(cycleId, kode, respondent.respondentId),
          entity: 'SURVEY_RESPONDENT',
          cycleId,
          kode,
          ...respondent,
          addReason: reason,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return respondent;
  }

  /** Marks a respondent removed with the admin's reason (kept, never deleted: the record shows why). */
  async removeRespondent(
    cycleId: string,
    kode: string,
    respondentId: string,
    by: string,
    reason: string,
  ): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: respondentKey(cycleId, kode, respondentId),
          UpdateExpression: 'SET removed = :r',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removed)',
          ExpressionAttributeValues: { ':r': { by, at: nowIso(this.ctx), reason } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Records one issued invitation (by the code's hash). The respondent is marked invited first, under
   * a condition, so two concurrent issues give one person one code; the invitation follows. (No
   * transactions: dynalite has none. A crash in between leaves a respondent marked invited without a
   * usable code, whose code was never shown; an admin adds the person again.)
   */
  async recordInvitation(codeHash: string, invitation: Omit<InvitationRecord, 'used'>): Promise<boolean> {
    const { cycleId, kode, respondentId } = invitation;
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: respondentKey(cycleId, kode, respondentId),
          UpdateExpression: 'SET invited = :t',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(invited) AND attribute_not_exists(removed)',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...invitationKey(codeHash),
          entity: 'SURVEY_INVITATION',
          gsi1pk: provinceInvitations(cycleId, kode),
          gsi1sk: `${kode}#${respondentId}`,
          ...invitation,
          used: false,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  }

  /**
   * Makes the unused code of a respondent unusable (an admin removed them). Found through the
   * province index by region and respondent; false when they have no code. A used code stays used:
   * its answer cannot be found, so it stays counted.
   */
  async revokeInvitation(cycleId: string, kode: string, respondentId: string): Promise<boolean> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: {
        ':pk': provinceInvitations(cycleId, kode),
        ':sk': `${kode}#${respondentId}`,
      },
    });
    let revoked = false;
    for (const item of items) {
      try {
        await this.ctx.doc.send(
          new UpdateCommand({
            TableName: this.ctx.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET revoked = :t',
            ConditionExpression: 'attribute_exists(pk) AND used = :f',
            ExpressionAttributeValues: { ':t': true, ':f': false },
          }),
        );
        revoked = true;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    return revoked;
  }

  async getSettings(cycleId: string): Promise<SurveySettings> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: settingsKey(cycleId), ConsistentRead: true }),
    );
    const limit = out.Item?.clientLimitPerMinute;
    return typeof limit === 'number' ? { clientLimitPerMinute: limit } : {};
  }

  /** Replaces the cycle's form settings, keeping who changed them last and why. */
  async putSettings(cycleId: string, settings: SurveySettings, by: string, reason: string): Promise<void> {
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...settingsKey(cycleId),
          entity: 'SURVEY_SETTINGS',
          cycleId,
          ...settings,
          changedBy: by,
          changedAt: nowIso(this.ctx),
          reason,
        },
      }),
    );
  }

  async getInvitation(codeHash: string): Promise<InvitationRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({ TableName: this.ctx.tableName, Key: invitationKey(codeHash), ConsistentRead: true }),
    );
    return out.Item ? fromItem<InvitationRecord>(out.Item) : undefined;
  }

  /**
   * Uses a code, exactly once. One conditional write flips the invitation's `used` and parks the
   * answer on it with a random answer key; then the answer is put under that key (idempotent) and the
   * parked copy removed, after which nothing ties the two. A crash in between leaves the parked
   * answer, which `completePending` moves later; it is never lost and never counted twice.
   * False when the code was already used (or never existed).
   */
  async answer(
    codeHash: string,
    cycleId: string,
    kode: string,
    answers: Record<string, number>,
  ): Promise<boolean> {
    const pending = { answerKey: randomUUID(), answers };
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: invitationKey(codeHash),
          UpdateExpression: 'SET used = :t, pending = :p',
          ConditionExpression:
            'attribute_exists(pk) AND used = :f AND attribute_not_exists(revoked) AND cycleId = :c AND kode = :k',
          ExpressionAttributeValues: { ':t': true, ':f': false, ':c': cycleId, ':k': kode, ':p': pending },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    await this.settle(codeHash, cycleId, kode, pending);
    return true;
  }

  private async settle(
    codeHash: string,
    cycleId: string,
    kode: string,
    pending: { answerKey: string; answers: Record<string, number> },
  ): Promise<void> {
    // False when an earlier attempt already moved it: only the parked copy is left to remove.
    await putIfAbsent(this.ctx, {
      pk: answersPk(cycleId, kode),
      sk: `ANS#${segment(pending.answerKey, 'answerKey')}`,
      entity: 'SURVEY_ANSWER',
      answers: pending.answers,
    });
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: invitationKey(codeHash),
        UpdateExpression: 'REMOVE pending',
      }),
    );
  }

  /** Moves answers a crash left parked on their invitations (see `answer`). */
  async completePending(cycleId: string, kode: string): Promise<number> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :k)',
      FilterExpression: 'attribute_exists(pending)',
      ExpressionAttributeValues: { ':pk': provinceInvitations(cycleId, kode), ':k': `${kode}#` },
    });
    for (const item of items) {
      const pending = item.pending as { answerKey: string; answers: Record<string, number> } | undefined;
      if (pending) await this.settle(String(item.pk).slice('INVITE#'.length), cycleId, kode, pending);
    }
    return items.length;
  }

  /** Every answer of a region, in the (random) order of their keys; parked ones are settled first. */
  async listAnswers(cycleId: string, kode: string): Promise<Record<string, number>[]> {
    await this.completePending(cycleId, kode);
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': answersPk(cycleId, kode), ':p': 'ANS#' },
    });
    return items.map((i) => (i.answers ?? {}) as Record<string, number>);
  }

  /**
   * Invitations of a region, or of a whole province (`kode` = `PP`): category and used only. A code
   * revoked with its removed respondent is no longer an invitation (nobody is expected to answer it).
   */
  async invitationStates(cycleId: string, kode: string): Promise<InvitationState[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :k)',
      ExpressionAttributeValues: {
        ':pk': provinceInvitations(cycleId, kode),
        ':k': kode.length === 2 ? '' : `${kode}#`,
      },
    });
    return items
      .filter((i) => i.revoked !== true)
      .map((i) => ({ kode: String(i.kode), category: String(i.category), used: i.used === true }));
  }

  /**
   * Counts one request in the current fixed window of `scope`/`key`; false once `limit` is reached.
   * The counter item expires with the table's TTL.
   */
  async hit(window: RateWindow): Promise<boolean> {
    // The product clock (the local runtime's moves with /_local/clock), as every other time here.
    const now = (this.ctx.now ? this.ctx.now() : productNow()).getTime();
    const start = Math.floor(now / 1000 / window.windowSeconds) * window.windowSeconds;
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: {
            pk: `THROTTLE#${segment(window.scope, 'scope')}#${segment(window.key, 'key')}`,
            sk: `W#${start}`,
          },
          UpdateExpression: 'ADD hits :one SET expiresAt = :exp, entity = :e',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': window.limit,
            ':exp': start + window.windowSeconds * 2,
            ':e': 'THROTTLE',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private queryAll(input: AllPagesQuery): Promise<Item[]> {
    return queryAll(this.ctx, input);
  }
}
