/** The card answered when a plan action cannot even find its plan (cards/plan-error.json). */
import { bindCard } from './template';

export const planErrorCard = (code: string, message: string, title = 'Not changed') => bindCard('plan-error', { code, message, title });
