import type { DateMode, Dated } from './dates.ts';
import * as documents from './generated/graphql.ts';
import type { TypedDocumentString } from './generated/graphql.ts';

/** Sends one of the client's own operations and hands over its data in the client's date mode. */
export interface Runner<M extends DateMode> {
  execute<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult>;
  /** The type of a value `execute` answered (its DateTimes are already converted for the mode). */
  dated<T>(value: T): Dated<T, M>;
}

/** A method that sends the mutation and answers its one root field. */
function mutation<M extends DateMode, TResult, TVariables, TField extends keyof TResult>(runner: Runner<M>, document: TypedDocumentString<TResult, TVariables>, field: TField) {
  return async (variables: TVariables): Promise<Dated<TResult[TField], M>> => runner.dated((await runner.execute(document, variables))[field]);
}

/** Every mutation of API.md, each taking its variables as one object. */
export function mutations<M extends DateMode>(runner: Runner<M>) {
  return {
    saveWorkflow: mutation(runner, documents.ClientSaveWorkflowDocument, 'saveWorkflow'),
    deleteWorkflow: mutation(runner, documents.ClientDeleteWorkflowDocument, 'deleteWorkflow'),
    setWorkflowEnabled: mutation(runner, documents.ClientSetWorkflowEnabledDocument, 'setWorkflowEnabled'),
    triggerRun: mutation(runner, documents.ClientTriggerRunDocument, 'triggerRun'),
    cancelRun: mutation(runner, documents.ClientCancelRunDocument, 'cancelRun'),
    retryRun: mutation(runner, documents.ClientRetryRunDocument, 'retryRun'),
    approveStep: mutation(runner, documents.ClientApproveStepDocument, 'approveStep'),
    rejectStep: mutation(runner, documents.ClientRejectStepDocument, 'rejectStep'),
    setRetentionPolicy: mutation(runner, documents.ClientSetRetentionPolicyDocument, 'setRetentionPolicy'),
    archiveNow: mutation(runner, documents.ClientArchiveNowDocument, 'archiveNow'),
    restoreArchive: mutation(runner, documents.ClientRestoreArchiveDocument, 'restoreArchive'),
    saveAlertRule: mutation(runner, documents.ClientSaveAlertRuleDocument, 'saveAlertRule'),
    deleteAlertRule: mutation(runner, documents.ClientDeleteAlertRuleDocument, 'deleteAlertRule'),
    acknowledgeAlert: mutation(runner, documents.ClientAcknowledgeAlertDocument, 'acknowledgeAlert'),
    createSilence: mutation(runner, documents.ClientCreateSilenceDocument, 'createSilence'),
    expireSilence: mutation(runner, documents.ClientExpireSilenceDocument, 'expireSilence'),
    saveContactPoint: mutation(runner, documents.ClientSaveContactPointDocument, 'saveContactPoint'),
    testContactPoint: mutation(runner, documents.ClientTestContactPointDocument, 'testContactPoint'),
    saveReportDefinition: mutation(runner, documents.ClientSaveReportDefinitionDocument, 'saveReportDefinition'),
    deleteReportDefinition: mutation(runner, documents.ClientDeleteReportDefinitionDocument, 'deleteReportDefinition'),
    runReportNow: mutation(runner, documents.ClientRunReportNowDocument, 'runReportNow'),
    dismissAnomaly: mutation(runner, documents.ClientDismissAnomalyDocument, 'dismissAnomaly'),
  };
}

export type Mutations<M extends DateMode> = ReturnType<typeof mutations<M>>;
