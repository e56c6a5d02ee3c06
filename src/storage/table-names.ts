/** Every table the app uses; docs/data-model.md describes each. Created on start. */
export const TABLE_NAMES = ['areas', 'homes', 'people', 'conversations', 'arealinks', 'audit', 'escalations', 'huddles', 'plans', 'actions', 'planchats', 'digests', 'deliveries', 'occurrences', 'jobruns', 'notifications', 'exports'] as const;
export type TableName = (typeof TABLE_NAMES)[number];
/** The records tables whose finished records RECORDS_RETENTION may age out (src/storage/records-retention.ts). */
export const RECORD_TABLE_NAMES = ['huddles', 'audit', 'escalations', 'actions', 'digests', 'occurrences', 'jobruns', 'planchats'] as const satisfies readonly TableName[];
export type RecordTableName = (typeof RECORD_TABLE_NAMES)[number];
