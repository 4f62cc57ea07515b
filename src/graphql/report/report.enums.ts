import { registerEnumType } from 'type-graphql';
import { REPORT_FORMATS, REPORT_SECTIONS, type ReportFormat, type ReportSection } from '../../domain/reports/report-content.ts';
import { REPORT_DELIVERY_STATES, REPORT_ORIGINS, REPORT_RECIPIENT_STATES, REPORT_STATES, type ReportDeliveryState, type ReportOrigin, type ReportRecipientState, type ReportState } from '../../domain/reports/report-definition.ts';
import { REPORT_PERIOD_KINDS, type ReportPeriodKind } from '../../domain/reports/report-period.ts';
import { enumObject } from '../enums.ts';

export const ReportSectionEnum: { [K in ReportSection]: K } = enumObject(REPORT_SECTIONS);
export const ReportFormatEnum: { [K in ReportFormat]: K } = enumObject(REPORT_FORMATS);
export const ReportPeriodKindEnum: { [K in ReportPeriodKind]: K } = enumObject(REPORT_PERIOD_KINDS);
export const ReportStateEnum: { [K in ReportState]: K } = enumObject(REPORT_STATES);
export const ReportDeliveryStateEnum: { [K in ReportDeliveryState]: K } = enumObject(REPORT_DELIVERY_STATES);
export const ReportOriginEnum: { [K in ReportOrigin]: K } = enumObject(REPORT_ORIGINS);
export const ReportRecipientStateEnum: { [K in ReportRecipientState]: K } = enumObject(REPORT_RECIPIENT_STATES);

registerEnumType(ReportSectionEnum, {
  name: 'ReportSection',
  description: 'A part of a report',
  valuesConfig: {
    STATUS_DISTRIBUTION: { description: 'Runs per status, with shares (a pie chart)' },
    PERIOD_CHANGE: { description: 'The distribution of the previous period and the mean of the 4 before it' },
    WORKFLOW_PERFORMANCE: { description: 'Per workflow: success rate, p50/p95 duration, a sparkline of the success rate' },
    TOP_FAILING: { description: 'Workflows with the most failures: current streak, first and last failure, commonest errors' },
    WORKFLOW_CHANGES: { description: 'Newly failing, recovered, and flaky (succeeded after a failed attempt) workflows' },
    ALERTS: { description: 'Alerts fired in the period and their time to resolve' },
    RUNS: { description: 'The runs of the period as rows (at most 100,000)' },
  },
});
registerEnumType(ReportFormatEnum, { name: 'ReportFormat', description: 'A format a report is stored and delivered in' });
registerEnumType(ReportPeriodKindEnum, {
  name: 'ReportPeriodKind',
  description: 'The period a report covers, in its definition’s time zone',
  valuesConfig: {
    PREVIOUS_DAY: { description: 'The full local day before the one the report fires on' },
    PREVIOUS_WEEK: { description: 'The full Monday-to-Monday week before the one it fires in' },
    PREVIOUS_MONTH: { description: 'The full calendar month before the one it fires in' },
    ROLLING: { description: 'The windowHours before the fire' },
  },
});
registerEnumType(ReportStateEnum, {
  name: 'ReportState',
  description: 'What became of a report’s period',
  valuesConfig: { READY: { description: 'Generated, its files stored' }, SKIPPED: { description: 'No runs and skipIfEmpty: recorded, nothing generated or sent' } },
});
registerEnumType(ReportDeliveryStateEnum, {
  name: 'ReportDeliveryState',
  description: 'Where the delivery of a report through its contact points stands',
  valuesConfig: {
    PENDING: { description: 'To be delivered by the leader (tried again after a failure)' },
    DELIVERED: { description: 'Every contact point took it' },
    FAILED: { description: 'Given up after 5 tries' },
    NONE: { description: 'Nothing to deliver: no contact point, or skipped' },
  },
});
registerEnumType(ReportOriginEnum, { name: 'ReportOrigin', description: 'What generated a report: its schedule (on time or catching up) or a person (runReportNow, the CLI)' });
registerEnumType(ReportRecipientStateEnum, {
  name: 'ReportRecipientState',
  description: 'How mailing a recipient their copy of a report went',
  valuesConfig: {
    PENDING: { description: 'To be mailed (again, after a failed try)' },
    SENT: { description: 'Mailed' },
    SKIPPED: { description: 'Not mailed, and not to be: detail says why (no email address, no EMAIL contact point, no readable project)' },
    FAILED: { description: 'Every try failed; detail holds the last error' },
  },
});
