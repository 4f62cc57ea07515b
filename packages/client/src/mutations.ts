import * as documents from './generated/graphql.ts';
import type { TypedDocumentString } from './generated/graphql.ts';

export type Execute = <TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables) => Promise<TResult>;

/** A method that sends the mutation and answers its one root field. */
function mutation<TResult, TVariables, TField extends keyof TResult>(execute: Execute, document: TypedDocumentString<TResult, TVariables>, field: TField) {
  return async (variables: TVariables): Promise<TResult[TField]> => (await execute(document, variables))[field];
}

/** Every mutation of API.md, each taking its variables as one object. */
export function mutations(execute: Execute) {
  return {
    saveWorkflow: mutation(execute, documents.ClientSaveWorkflowDocument, 'saveWorkflow'),
    deleteWorkflow: mutation(execute, documents.ClientDeleteWorkflowDocument, 'deleteWorkflow'),
    setWorkflowEnabled: mutation(execute, documents.ClientSetWorkflowEnabledDocument, 'setWorkflowEnabled'),
    triggerRun: mutation(execute, documents.ClientTriggerRunDocument, 'triggerRun'),
    cancelRun: mutation(execute, documents.ClientCancelRunDocument, 'cancelRun'),
    retryRun: mutation(execute, documents.ClientRetryRunDocument, 'retryRun'),
    approveStep: mutation(execute, documents.ClientApproveStepDocument, 'approveStep'),
    rejectStep: mutation(execute, documents.ClientRejectStepDocument, 'rejectStep'),
    setRetentionPolicy: mutation(execute, documents.ClientSetRetentionPolicyDocument, 'setRetentionPolicy'),
    archiveNow: mutation(execute, documents.ClientArchiveNowDocument, 'archiveNow'),
    restoreArchive: mutation(execute, documents.ClientRestoreArchiveDocument, 'restoreArchive'),
    saveAlertRule: mutation(execute, documents.ClientSaveAlertRuleDocument, 'saveAlertRule'),
    deleteAlertRule: mutation(execute, documents.ClientDeleteAlertRuleDocument, 'deleteAlertRule'),
    acknowledgeAlert: mutation(execute, documents.ClientAcknowledgeAlertDocument, 'acknowledgeAlert'),
    createSilence: mutation(execute, documents.ClientCreateSilenceDocument, 'createSilence'),
    expireSilence: mutation(execute, documents.ClientExpireSilenceDocument, 'expireSilence'),
    saveContactPoint: mutation(execute, documents.ClientSaveContactPointDocument, 'saveContactPoint'),
    testContactPoint: mutation(execute, documents.ClientTestContactPointDocument, 'testContactPoint'),
    saveReportDefinition: mutation(execute, documents.ClientSaveReportDefinitionDocument, 'saveReportDefinition'),
    deleteReportDefinition: mutation(execute, documents.ClientDeleteReportDefinitionDocument, 'deleteReportDefinition'),
    runReportNow: mutation(execute, documents.ClientRunReportNowDocument, 'runReportNow'),
    dismissAnomaly: mutation(execute, documents.ClientDismissAnomalyDocument, 'dismissAnomaly'),
  };
}

export type Mutations = ReturnType<typeof mutations>;
