/** Every table the app uses; docs/data-model.md describes each. Created on start. */
export const TABLE_NAMES = ['areas', 'homes', 'people', 'conversations', 'arealinks', 'audit', 'escalations', 'huddles', 'plans', 'actions', 'planchats', 'digests', 'deliveries', 'occurrences', 'jobruns', 'exports'] as const;
export type TableName = (typeof TABLE_NAMES)[number];
