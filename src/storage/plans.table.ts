/**
 * Table `plans`: one improvement plan per home. PK home id, RK "plan". The last action number given
 * in each theme (lastNo1…lastNo6) lives here and only moves up, written with the row's ETag, so two
 * people adding actions at once get different numbers and a number is never given twice.
 */
import type { TableClient } from '@azure/data-tables';
import { THEMES, type Plan, type PlanHeader } from '../domain/plan';
import { isConflict, isNotFound } from './client';

interface PlanEntity extends PlanHeader {
  partitionKey: string;
  rowKey: 'plan';
  areaId: string;
  /** JSON object theme number → context line */
  contexts: string;
  lastNo1: number;
  lastNo2: number;
  lastNo3: number;
  lastNo4: number;
  lastNo5: number;
  lastNo6: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

const ROW = 'plan';
const counterKey = (theme: number) => `lastNo${theme}` as 'lastNo1';

const toPlan = (e: PlanEntity): Plan => ({
  homeId: e.partitionKey,
  areaId: e.areaId,
  header: {
    partnershipLead: e.partnershipLead ?? '',
    registeredManager: e.registeredManager ?? '',
    serviceName: e.serviceName ?? '',
    serviceType: e.serviceType ?? '',
    commencementDate: e.commencementDate ?? '',
    reviewDate: e.reviewDate ?? '',
  },
  contexts: JSON.parse(e.contexts || '{}') as Record<number, string>,
  lastNo: Object.fromEntries(THEMES.map((t) => [t.n, Number(e[counterKey(t.n)] ?? 0)])),
});

export class PlansTable {
  constructor(private readonly table: TableClient) {}

  async get(homeId: string): Promise<Plan | undefined> {
    try {
      return toPlan(await this.table.getEntity<PlanEntity>(homeId, ROW));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Creates the plan row unless it exists (insert-only, so two first actions cannot reset a counter). */
  async ensure(plan: Plan, by: string, at: Date): Promise<{ plan: Plan; created: boolean }> {
    const entity: PlanEntity = {
      partitionKey: plan.homeId,
      rowKey: ROW,
      areaId: plan.areaId,
      ...plan.header,
      contexts: JSON.stringify(plan.contexts),
      lastNo1: 0,
      lastNo2: 0,
      lastNo3: 0,
      lastNo4: 0,
      lastNo5: 0,
      lastNo6: 0,
      createdAt: at.toISOString(),
      createdBy: by,
      updatedAt: at.toISOString(),
    };
    try {
      await this.table.createEntity(entity);
      return { plan: toPlan(entity), created: true };
    } catch (e) {
      if (!isConflict(e)) throw e;
      return { plan: (await this.get(plan.homeId))!, created: false };
    }
  }

  /** Changes the header and context lines; Merge leaves the number columns alone. */
  async saveDetails(homeId: string, header: Partial<PlanHeader>, contexts: Record<number, string>, at: Date): Promise<void> {
    await this.table.updateEntity({ partitionKey: homeId, rowKey: ROW, ...header, contexts: JSON.stringify(contexts), updatedAt: at.toISOString() }, 'Merge');
  }

  /** Takes the next number of a theme: read, add one, write back with the ETag; retry when someone else wrote first. */
  async takeNumber(homeId: string, theme: number, at: Date, attempts = 8): Promise<number> {
    for (let i = 0; i < attempts; i++) {
      const e = await this.table.getEntity<PlanEntity>(homeId, ROW);
      const next = Number(e[counterKey(theme)] ?? 0) + 1;
      try {
        await this.table.updateEntity({ partitionKey: homeId, rowKey: ROW, [counterKey(theme)]: next, updatedAt: at.toISOString() }, 'Merge', { etag: e.etag });
        return next;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    throw Object.assign(new Error('action number contention'), { code: 'PLAN.STALE' });
  }
}
