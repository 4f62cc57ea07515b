/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ContactPointsPage($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      name\n      kind\n      url\n      hasSecret\n      ownerWorkflowId\n      email {\n        host\n        port\n        secure\n        user\n        from\n        to\n      }\n    }\n  }\n": typeof types.ContactPointsPageDocument,
    "\n  mutation DeleteContactPoint($id: ID!) {\n    deleteContactPoint(id: $id)\n  }\n": typeof types.DeleteContactPointDocument,
    "\n  query AlertsPage($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      ...AlertRow\n    }\n  }\n": typeof types.AlertsPageDocument,
    "\n  query AlertRuleOptions($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": typeof types.AlertRuleOptionsDocument,
    "\n  query AlertRulesPage($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      ...AlertRuleFields\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": typeof types.AlertRulesPageDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": typeof types.DeleteAlertRuleDocument,
    "\n  query SilencesPage($projectId: ID!) {\n    silences(projectId: $projectId) {\n      id\n      ruleIds\n      workflowIds\n      workflowNames\n      startsAt\n      endsAt\n      comment\n      createdBy\n    }\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": typeof types.SilencesPageDocument,
    "\n  mutation ExpireSilence($id: ID!) {\n    expireSilence(id: $id) {\n      id\n    }\n  }\n": typeof types.ExpireSilenceDocument,
    "\n  query Dashboard($failed: RunFilter!, $active: RunFilter!, $period: RunFilter!, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $anomalies: AnomalyFilter!) {\n    failures: runs(filter: $failed, first: 5) {\n      edges {\n        node {\n          ...RunRow\n          error\n        }\n      }\n    }\n    active: runs(filter: $active, first: 10) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n    counts: runStatusCounts(filter: $period) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n    runStatusTrend(filter: $period, bucket: $bucket, from: $from, to: $to) {\n      start\n      counts {\n        status\n        count\n      }\n    }\n    anomalies(filter: $anomalies, first: 50) {\n      ...AnomalyMark\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query IncidentDetail($id: ID!) {\n    incident(id: $id) {\n      ...IncidentSummary\n      members {\n        runId\n        projectId\n        at\n        error\n        failedStep\n        worker\n        workflow {\n          id\n          name\n        }\n      }\n      attributes {\n        kind\n        value\n        members\n        memberShare\n        otherShare\n        lift\n      }\n    }\n  }\n": typeof types.IncidentDetailDocument,
    "\n  query IncidentsPage {\n    incidents(first: 100) {\n      ...IncidentSummary\n      attributes {\n        kind\n        value\n        lift\n      }\n    }\n  }\n": typeof types.IncidentsPageDocument,
    "\n  query InsightPage($weekFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {\n    anomalies(filter: { open: true }, first: 200) {\n      id\n      kind\n      step\n      start\n      raisedAt\n      expected\n      observed\n      projectId\n      workflow {\n        id\n        name\n      }\n    }\n    byProject: runsAggregate(groupBy: [PROJECT, STATUS], from: $weekFrom, to: $to) {\n      projectId\n      status\n      count\n    }\n    topErrors: runsAggregate(filter: { statuses: [FAILED] }, groupBy: [ERROR], from: $dayFrom, to: $to) {\n      error\n      count\n    }\n  }\n": typeof types.InsightPageDocument,
    "\n  mutation DismissAnomaly($id: ID!, $reason: String) {\n    dismissAnomaly(id: $id, reason: $reason) {\n      id\n    }\n  }\n": typeof types.DismissAnomalyDocument,
    "\n  query ReportsPage($projectId: ID!) {\n    reportDefinitions(projectId: $projectId) {\n      id\n      name\n      schedule\n      timeZone\n      periodKind\n      windowHours\n      filter {\n        workflowIds\n      }\n      sections\n      formats\n      contactPointIds\n      skipIfEmpty\n      nextRunAt\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": typeof types.ReportsPageDocument,
    "\n  mutation RunReportNow($definitionId: ID!) {\n    runReportNow(definitionId: $definitionId) {\n      id\n    }\n  }\n": typeof types.RunReportNowDocument,
    "\n  mutation DeleteReportDefinition($id: ID!) {\n    deleteReportDefinition(id: $id)\n  }\n": typeof types.DeleteReportDefinitionDocument,
    "\n  query RunEta($id: ID!) {\n    run(id: $id) {\n      id\n      eta {\n        expectedAt\n        p90At\n        basedOn\n      }\n    }\n  }\n": typeof types.RunEtaDocument,
    "\n  query RunDetail($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      error\n      queuedReason\n      params\n      retryOf {\n        id\n      }\n      ...RunSteps\n      ...RunHistory\n      ...RunGraph\n      parentStep\n      parentRun {\n        id\n        status\n        workflow {\n          id\n          name\n        }\n      }\n      childRuns {\n        id\n        status\n        parentStep\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.RunDetailDocument,
    "\n  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      snapshot\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...RunRow\n          queuedReason\n        }\n      }\n    }\n  }\n": typeof types.RunsPageDocument,
    "\n  query RunStatusCountsAt($filter: RunFilter, $snapshot: String) {\n    runStatusCounts(filter: $filter, snapshot: $snapshot) {\n      total\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n": typeof types.RunStatusCountsAtDocument,
    "\n  query WorkflowDetail($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      definition\n      schedule\n      nextFireAt\n      enabled\n      loadError\n      source\n      tags\n      project {\n        id\n        name\n      }\n      recentRuns {\n        ...RunRow\n      }\n      steps {\n        ...WorkflowGraphStep\n        description\n        call\n      }\n      params {\n        name\n        default\n      }\n      failureProbability {\n        probability\n        baseRate\n        skill\n      }\n      forecast {\n        day\n        total {\n          expected\n          lower\n          upper\n        }\n      }\n    }\n    anomalies(filter: { workflowIds: [$id], kinds: [DURATION_SPIKE], includeDismissed: true }, first: 20) {\n      ...AnomalyMark\n    }\n    workflowStats(workflowId: $id) {\n      total\n      successRate\n      p50DurationMs\n      p95DurationMs\n      snapshot\n    }\n  }\n": typeof types.WorkflowDetailDocument,
    "\n  mutation SetWorkflowEnabled($id: ID!, $enabled: Boolean!) {\n    setWorkflowEnabled(id: $id, enabled: $enabled) {\n      id\n      enabled\n      nextFireAt\n    }\n  }\n": typeof types.SetWorkflowEnabledDocument,
    "\n  query WorkflowsPage($projectId: ID) {\n    workflows(projectId: $projectId, first: 200) {\n      edges {\n        node {\n          id\n          name\n          description\n          schedule\n          nextFireAt\n          enabled\n          loadError\n          project {\n            id\n            name\n          }\n          recentRuns {\n            id\n            status\n            durationMs\n          }\n        }\n      }\n    }\n  }\n": typeof types.WorkflowsPageDocument,
    "\n  subscription LiveAlertEvents($projectIds: [ID!], $afterSeq: String) {\n    alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      alertId\n      to\n    }\n  }\n": typeof types.LiveAlertEventsDocument,
    "\n  subscription LiveIncidentEvents($projectIds: [ID!], $afterSeq: String) {\n    incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      id\n    }\n  }\n": typeof types.LiveIncidentEventsDocument,
    "\n  fragment LiveRun on Run {\n    ...RunRow\n    error\n  }\n": typeof types.LiveRunFragmentDoc,
    "\n  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {\n    runEvents(filter: $filter, afterSeq: $afterSeq) {\n      ...RunHistoryEvent\n      step {\n        ...StepRow\n      }\n      run {\n        ...LiveRun\n      }\n    }\n  }\n": typeof types.LiveRunEventsDocument,
    "\n  subscription LiveStatusCounts($filter: RunFilter) {\n    statusCounts(filter: $filter) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n": typeof types.LiveStatusCountsDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      displayName\n      isAdmin\n      memberships {\n        role\n        project {\n          id\n          slug\n          name\n        }\n      }\n    }\n    projects {\n      id\n      slug\n      name\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      acknowledgedBy\n      acknowledgedAt\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  fragment AlertRow on Alert {\n    id\n    projectId\n    workflowId\n    state\n    summary\n    firedAt\n    resolvedAt\n    acknowledgedBy\n    acknowledgedAt\n    rule {\n      id\n      name\n    }\n    events {\n      seq\n      at\n      from\n      to\n      actor\n      message\n    }\n  }\n": typeof types.AlertRowFragmentDoc,
    "\n  mutation SaveContactPoint($input: ContactPointInput!) {\n    saveContactPoint(input: $input) {\n      id\n    }\n  }\n": typeof types.SaveContactPointDocument,
    "\n  query ContactPointDeliveries($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      deliveries(first: 20) {\n        notificationId\n        type\n        attempt\n        at\n        statusCode\n        error\n        durationMs\n        state\n      }\n    }\n  }\n": typeof types.ContactPointDeliveriesDocument,
    "\n  query FiringAlertCount($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      id\n    }\n  }\n": typeof types.FiringAlertCountDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    enabled\n    workflowIds\n    statuses\n    triggers\n    count\n    windowMinutes\n    threshold\n    minRuns\n    resolveThreshold\n    factor\n    limitSeconds\n    baselineRuns\n    graceMinutes\n    minDelta\n    forSeconds\n    keepFiringForSeconds\n    groupWaitSeconds\n    repeatIntervalSeconds\n    contactPointIds\n    ownerWorkflowId\n  }\n": typeof types.AlertRuleFieldsFragmentDoc,
    "\n  mutation SaveAlertRule($input: AlertRuleInput!) {\n    saveAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": typeof types.SaveAlertRuleDocument,
    "\n  query PreviewAlertRule($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) {\n    previewAlertRule(rule: $rule, from: $from, to: $to) {\n      runsRead\n      episodes {\n        workflowId\n        workflowName\n        firedAt\n        resolvedAt\n        summary\n      }\n    }\n  }\n": typeof types.PreviewAlertRuleDocument,
    "\n  query PreviewSilence($input: SilenceInput!) {\n    previewSilence(input: $input) {\n      id\n    }\n  }\n": typeof types.PreviewSilenceDocument,
    "\n  mutation CreateSilence($input: SilenceInput!) {\n    createSilence(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateSilenceDocument,
    "\n  mutation TestContactPoint($id: ID!) {\n    testContactPoint(id: $id) {\n      ok\n      statusCode\n      error\n      durationMs\n    }\n  }\n": typeof types.TestContactPointDocument,
    "\n  fragment AnomalyMark on Anomaly {\n    id\n    kind\n    projectId\n    workflowId\n    step\n    start\n    end\n  }\n": typeof types.AnomalyMarkFragmentDoc,
    "\n  fragment IncidentSummary on Incident {\n    id\n    openedAt\n    closedAt\n    start\n    lastFailureAt\n    memberCount\n    projectIds\n    workflowIds\n  }\n": typeof types.IncidentSummaryFragmentDoc,
    "\n  query PreviewReportDefinition($input: ReportDefinitionInput!) {\n    previewReportDefinition(input: $input) {\n      periodStart\n      periodEnd\n      periodLabel\n      total\n      byStatus {\n        status\n        count\n      }\n      content\n    }\n  }\n": typeof types.PreviewReportDefinitionDocument,
    "\n  mutation SaveReportDefinition($input: ReportDefinitionInput!) {\n    saveReportDefinition(input: $input) {\n      id\n    }\n  }\n": typeof types.SaveReportDefinitionDocument,
    "\n  query DefinitionReports($definitionId: ID!, $after: String) {\n    reports(definitionId: $definitionId, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          periodStart\n          periodEnd\n          state\n          origin\n          total\n          generatedAt\n          deliveryState\n          deliveryError\n          files {\n            format\n            size\n            url\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DefinitionReportsDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  mutation RetryRun($id: ID!, $fromFailedStep: Boolean) {\n    retryRun(id: $id, fromFailedStep: $fromFailedStep) {\n      id\n    }\n  }\n": typeof types.RetryRunDocument,
    "\n  mutation ApproveStep($runId: ID!, $step: String!) {\n    approveStep(runId: $runId, step: $step) {\n      id\n      status\n    }\n  }\n": typeof types.ApproveStepDocument,
    "\n  mutation RejectStep($runId: ID!, $step: String!, $reason: String) {\n    rejectStep(runId: $runId, step: $step, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RejectStepDocument,
    "\n  fragment WorkflowGraphStep on WorkflowStep {\n    name\n    depends\n    kind\n  }\n": typeof types.WorkflowGraphStepFragmentDoc,
    "\n  fragment RunGraph on Run {\n    outputs\n    workflowSteps {\n      ...WorkflowGraphStep\n    }\n  }\n": typeof types.RunGraphFragmentDoc,
    "\n  fragment RunHistoryEvent on RunEvent {\n    seq\n    at\n    kind\n    from\n    to\n    message\n    actor\n    step {\n      id\n      name\n    }\n  }\n": typeof types.RunHistoryEventFragmentDoc,
    "\n  fragment RunHistory on Run {\n    events {\n      ...RunHistoryEvent\n    }\n  }\n": typeof types.RunHistoryFragmentDoc,
    "\n  subscription FollowStepLog($runId: ID!, $step: String!, $offset: Int) {\n    stepLog(runId: $runId, step: $step, offset: $offset) {\n      content\n      offset\n      nextOffset\n      complete\n    }\n  }\n": typeof types.FollowStepLogDocument,
    "\n  fragment StepRow on StepRun {\n    id\n    name\n    status\n    startedAt\n    finishedAt\n    exitCode\n    error\n    attempt\n  }\n": typeof types.StepRowFragmentDoc,
    "\n  fragment RunSteps on Run {\n    steps {\n      ...StepRow\n    }\n  }\n": typeof types.RunStepsFragmentDoc,
    "\n  fragment RunRow on Run {\n    id\n    status\n    trigger\n    createdAt\n    startedAt\n    finishedAt\n    durationMs\n    attempt\n    workflow {\n      id\n      name\n    }\n    project {\n      id\n      name\n    }\n  }\n": typeof types.RunRowFragmentDoc,
    "\n  mutation SignOut {\n    logout\n  }\n": typeof types.SignOutDocument,
    "\n  query TriggerParams($id: ID!) {\n    workflow(id: $id) {\n      id\n      params {\n        name\n        default\n      }\n    }\n  }\n": typeof types.TriggerParamsDocument,
    "\n  mutation TriggerRun($workflowId: ID!, $params: JSON) {\n    triggerRun(workflowId: $workflowId, params: $params) {\n      id\n    }\n  }\n": typeof types.TriggerRunDocument,
    "\n  mutation SaveWorkflow($projectId: ID!, $yaml: String!) {\n    saveWorkflow(projectId: $projectId, yaml: $yaml) {\n      id\n      name\n      definition\n      description\n      schedule\n      nextFireAt\n      enabled\n      loadError\n    }\n  }\n": typeof types.SaveWorkflowDocument,
    "\n  query WorkflowOptions($projectId: ID) {\n    workflows(projectId: $projectId, first: 500) {\n      edges {\n        node {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.WorkflowOptionsDocument,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      expiresAt\n    }\n  }\n": typeof types.SignInDocument,
};
const documents: Documents = {
    "\n  query ContactPointsPage($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      name\n      kind\n      url\n      hasSecret\n      ownerWorkflowId\n      email {\n        host\n        port\n        secure\n        user\n        from\n        to\n      }\n    }\n  }\n": types.ContactPointsPageDocument,
    "\n  mutation DeleteContactPoint($id: ID!) {\n    deleteContactPoint(id: $id)\n  }\n": types.DeleteContactPointDocument,
    "\n  query AlertsPage($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      ...AlertRow\n    }\n  }\n": types.AlertsPageDocument,
    "\n  query AlertRuleOptions($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": types.AlertRuleOptionsDocument,
    "\n  query AlertRulesPage($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      ...AlertRuleFields\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": types.AlertRulesPageDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": types.DeleteAlertRuleDocument,
    "\n  query SilencesPage($projectId: ID!) {\n    silences(projectId: $projectId) {\n      id\n      ruleIds\n      workflowIds\n      workflowNames\n      startsAt\n      endsAt\n      comment\n      createdBy\n    }\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": types.SilencesPageDocument,
    "\n  mutation ExpireSilence($id: ID!) {\n    expireSilence(id: $id) {\n      id\n    }\n  }\n": types.ExpireSilenceDocument,
    "\n  query Dashboard($failed: RunFilter!, $active: RunFilter!, $period: RunFilter!, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $anomalies: AnomalyFilter!) {\n    failures: runs(filter: $failed, first: 5) {\n      edges {\n        node {\n          ...RunRow\n          error\n        }\n      }\n    }\n    active: runs(filter: $active, first: 10) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n    counts: runStatusCounts(filter: $period) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n    runStatusTrend(filter: $period, bucket: $bucket, from: $from, to: $to) {\n      start\n      counts {\n        status\n        count\n      }\n    }\n    anomalies(filter: $anomalies, first: 50) {\n      ...AnomalyMark\n    }\n  }\n": types.DashboardDocument,
    "\n  query IncidentDetail($id: ID!) {\n    incident(id: $id) {\n      ...IncidentSummary\n      members {\n        runId\n        projectId\n        at\n        error\n        failedStep\n        worker\n        workflow {\n          id\n          name\n        }\n      }\n      attributes {\n        kind\n        value\n        members\n        memberShare\n        otherShare\n        lift\n      }\n    }\n  }\n": types.IncidentDetailDocument,
    "\n  query IncidentsPage {\n    incidents(first: 100) {\n      ...IncidentSummary\n      attributes {\n        kind\n        value\n        lift\n      }\n    }\n  }\n": types.IncidentsPageDocument,
    "\n  query InsightPage($weekFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {\n    anomalies(filter: { open: true }, first: 200) {\n      id\n      kind\n      step\n      start\n      raisedAt\n      expected\n      observed\n      projectId\n      workflow {\n        id\n        name\n      }\n    }\n    byProject: runsAggregate(groupBy: [PROJECT, STATUS], from: $weekFrom, to: $to) {\n      projectId\n      status\n      count\n    }\n    topErrors: runsAggregate(filter: { statuses: [FAILED] }, groupBy: [ERROR], from: $dayFrom, to: $to) {\n      error\n      count\n    }\n  }\n": types.InsightPageDocument,
    "\n  mutation DismissAnomaly($id: ID!, $reason: String) {\n    dismissAnomaly(id: $id, reason: $reason) {\n      id\n    }\n  }\n": types.DismissAnomalyDocument,
    "\n  query ReportsPage($projectId: ID!) {\n    reportDefinitions(projectId: $projectId) {\n      id\n      name\n      schedule\n      timeZone\n      periodKind\n      windowHours\n      filter {\n        workflowIds\n      }\n      sections\n      formats\n      contactPointIds\n      skipIfEmpty\n      nextRunAt\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n": types.ReportsPageDocument,
    "\n  mutation RunReportNow($definitionId: ID!) {\n    runReportNow(definitionId: $definitionId) {\n      id\n    }\n  }\n": types.RunReportNowDocument,
    "\n  mutation DeleteReportDefinition($id: ID!) {\n    deleteReportDefinition(id: $id)\n  }\n": types.DeleteReportDefinitionDocument,
    "\n  query RunEta($id: ID!) {\n    run(id: $id) {\n      id\n      eta {\n        expectedAt\n        p90At\n        basedOn\n      }\n    }\n  }\n": types.RunEtaDocument,
    "\n  query RunDetail($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      error\n      queuedReason\n      params\n      retryOf {\n        id\n      }\n      ...RunSteps\n      ...RunHistory\n      ...RunGraph\n      parentStep\n      parentRun {\n        id\n        status\n        workflow {\n          id\n          name\n        }\n      }\n      childRuns {\n        id\n        status\n        parentStep\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.RunDetailDocument,
    "\n  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      snapshot\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...RunRow\n          queuedReason\n        }\n      }\n    }\n  }\n": types.RunsPageDocument,
    "\n  query RunStatusCountsAt($filter: RunFilter, $snapshot: String) {\n    runStatusCounts(filter: $filter, snapshot: $snapshot) {\n      total\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n": types.RunStatusCountsAtDocument,
    "\n  query WorkflowDetail($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      definition\n      schedule\n      nextFireAt\n      enabled\n      loadError\n      source\n      tags\n      project {\n        id\n        name\n      }\n      recentRuns {\n        ...RunRow\n      }\n      steps {\n        ...WorkflowGraphStep\n        description\n        call\n      }\n      params {\n        name\n        default\n      }\n      failureProbability {\n        probability\n        baseRate\n        skill\n      }\n      forecast {\n        day\n        total {\n          expected\n          lower\n          upper\n        }\n      }\n    }\n    anomalies(filter: { workflowIds: [$id], kinds: [DURATION_SPIKE], includeDismissed: true }, first: 20) {\n      ...AnomalyMark\n    }\n    workflowStats(workflowId: $id) {\n      total\n      successRate\n      p50DurationMs\n      p95DurationMs\n      snapshot\n    }\n  }\n": types.WorkflowDetailDocument,
    "\n  mutation SetWorkflowEnabled($id: ID!, $enabled: Boolean!) {\n    setWorkflowEnabled(id: $id, enabled: $enabled) {\n      id\n      enabled\n      nextFireAt\n    }\n  }\n": types.SetWorkflowEnabledDocument,
    "\n  query WorkflowsPage($projectId: ID) {\n    workflows(projectId: $projectId, first: 200) {\n      edges {\n        node {\n          id\n          name\n          description\n          schedule\n          nextFireAt\n          enabled\n          loadError\n          project {\n            id\n            name\n          }\n          recentRuns {\n            id\n            status\n            durationMs\n          }\n        }\n      }\n    }\n  }\n": types.WorkflowsPageDocument,
    "\n  subscription LiveAlertEvents($projectIds: [ID!], $afterSeq: String) {\n    alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      alertId\n      to\n    }\n  }\n": types.LiveAlertEventsDocument,
    "\n  subscription LiveIncidentEvents($projectIds: [ID!], $afterSeq: String) {\n    incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      id\n    }\n  }\n": types.LiveIncidentEventsDocument,
    "\n  fragment LiveRun on Run {\n    ...RunRow\n    error\n  }\n": types.LiveRunFragmentDoc,
    "\n  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {\n    runEvents(filter: $filter, afterSeq: $afterSeq) {\n      ...RunHistoryEvent\n      step {\n        ...StepRow\n      }\n      run {\n        ...LiveRun\n      }\n    }\n  }\n": types.LiveRunEventsDocument,
    "\n  subscription LiveStatusCounts($filter: RunFilter) {\n    statusCounts(filter: $filter) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n": types.LiveStatusCountsDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      username\n      displayName\n      isAdmin\n      memberships {\n        role\n        project {\n          id\n          slug\n          name\n        }\n      }\n    }\n    projects {\n      id\n      slug\n      name\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      acknowledgedBy\n      acknowledgedAt\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  fragment AlertRow on Alert {\n    id\n    projectId\n    workflowId\n    state\n    summary\n    firedAt\n    resolvedAt\n    acknowledgedBy\n    acknowledgedAt\n    rule {\n      id\n      name\n    }\n    events {\n      seq\n      at\n      from\n      to\n      actor\n      message\n    }\n  }\n": types.AlertRowFragmentDoc,
    "\n  mutation SaveContactPoint($input: ContactPointInput!) {\n    saveContactPoint(input: $input) {\n      id\n    }\n  }\n": types.SaveContactPointDocument,
    "\n  query ContactPointDeliveries($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      deliveries(first: 20) {\n        notificationId\n        type\n        attempt\n        at\n        statusCode\n        error\n        durationMs\n        state\n      }\n    }\n  }\n": types.ContactPointDeliveriesDocument,
    "\n  query FiringAlertCount($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      id\n    }\n  }\n": types.FiringAlertCountDocument,
    "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    enabled\n    workflowIds\n    statuses\n    triggers\n    count\n    windowMinutes\n    threshold\n    minRuns\n    resolveThreshold\n    factor\n    limitSeconds\n    baselineRuns\n    graceMinutes\n    minDelta\n    forSeconds\n    keepFiringForSeconds\n    groupWaitSeconds\n    repeatIntervalSeconds\n    contactPointIds\n    ownerWorkflowId\n  }\n": types.AlertRuleFieldsFragmentDoc,
    "\n  mutation SaveAlertRule($input: AlertRuleInput!) {\n    saveAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n": types.SaveAlertRuleDocument,
    "\n  query PreviewAlertRule($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) {\n    previewAlertRule(rule: $rule, from: $from, to: $to) {\n      runsRead\n      episodes {\n        workflowId\n        workflowName\n        firedAt\n        resolvedAt\n        summary\n      }\n    }\n  }\n": types.PreviewAlertRuleDocument,
    "\n  query PreviewSilence($input: SilenceInput!) {\n    previewSilence(input: $input) {\n      id\n    }\n  }\n": types.PreviewSilenceDocument,
    "\n  mutation CreateSilence($input: SilenceInput!) {\n    createSilence(input: $input) {\n      id\n    }\n  }\n": types.CreateSilenceDocument,
    "\n  mutation TestContactPoint($id: ID!) {\n    testContactPoint(id: $id) {\n      ok\n      statusCode\n      error\n      durationMs\n    }\n  }\n": types.TestContactPointDocument,
    "\n  fragment AnomalyMark on Anomaly {\n    id\n    kind\n    projectId\n    workflowId\n    step\n    start\n    end\n  }\n": types.AnomalyMarkFragmentDoc,
    "\n  fragment IncidentSummary on Incident {\n    id\n    openedAt\n    closedAt\n    start\n    lastFailureAt\n    memberCount\n    projectIds\n    workflowIds\n  }\n": types.IncidentSummaryFragmentDoc,
    "\n  query PreviewReportDefinition($input: ReportDefinitionInput!) {\n    previewReportDefinition(input: $input) {\n      periodStart\n      periodEnd\n      periodLabel\n      total\n      byStatus {\n        status\n        count\n      }\n      content\n    }\n  }\n": types.PreviewReportDefinitionDocument,
    "\n  mutation SaveReportDefinition($input: ReportDefinitionInput!) {\n    saveReportDefinition(input: $input) {\n      id\n    }\n  }\n": types.SaveReportDefinitionDocument,
    "\n  query DefinitionReports($definitionId: ID!, $after: String) {\n    reports(definitionId: $definitionId, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          periodStart\n          periodEnd\n          state\n          origin\n          total\n          generatedAt\n          deliveryState\n          deliveryError\n          files {\n            format\n            size\n            url\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DefinitionReportsDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelRunDocument,
    "\n  mutation RetryRun($id: ID!, $fromFailedStep: Boolean) {\n    retryRun(id: $id, fromFailedStep: $fromFailedStep) {\n      id\n    }\n  }\n": types.RetryRunDocument,
    "\n  mutation ApproveStep($runId: ID!, $step: String!) {\n    approveStep(runId: $runId, step: $step) {\n      id\n      status\n    }\n  }\n": types.ApproveStepDocument,
    "\n  mutation RejectStep($runId: ID!, $step: String!, $reason: String) {\n    rejectStep(runId: $runId, step: $step, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RejectStepDocument,
    "\n  fragment WorkflowGraphStep on WorkflowStep {\n    name\n    depends\n    kind\n  }\n": types.WorkflowGraphStepFragmentDoc,
    "\n  fragment RunGraph on Run {\n    outputs\n    workflowSteps {\n      ...WorkflowGraphStep\n    }\n  }\n": types.RunGraphFragmentDoc,
    "\n  fragment RunHistoryEvent on RunEvent {\n    seq\n    at\n    kind\n    from\n    to\n    message\n    actor\n    step {\n      id\n      name\n    }\n  }\n": types.RunHistoryEventFragmentDoc,
    "\n  fragment RunHistory on Run {\n    events {\n      ...RunHistoryEvent\n    }\n  }\n": types.RunHistoryFragmentDoc,
    "\n  subscription FollowStepLog($runId: ID!, $step: String!, $offset: Int) {\n    stepLog(runId: $runId, step: $step, offset: $offset) {\n      content\n      offset\n      nextOffset\n      complete\n    }\n  }\n": types.FollowStepLogDocument,
    "\n  fragment StepRow on StepRun {\n    id\n    name\n    status\n    startedAt\n    finishedAt\n    exitCode\n    error\n    attempt\n  }\n": types.StepRowFragmentDoc,
    "\n  fragment RunSteps on Run {\n    steps {\n      ...StepRow\n    }\n  }\n": types.RunStepsFragmentDoc,
    "\n  fragment RunRow on Run {\n    id\n    status\n    trigger\n    createdAt\n    startedAt\n    finishedAt\n    durationMs\n    attempt\n    workflow {\n      id\n      name\n    }\n    project {\n      id\n      name\n    }\n  }\n": types.RunRowFragmentDoc,
    "\n  mutation SignOut {\n    logout\n  }\n": types.SignOutDocument,
    "\n  query TriggerParams($id: ID!) {\n    workflow(id: $id) {\n      id\n      params {\n        name\n        default\n      }\n    }\n  }\n": types.TriggerParamsDocument,
    "\n  mutation TriggerRun($workflowId: ID!, $params: JSON) {\n    triggerRun(workflowId: $workflowId, params: $params) {\n      id\n    }\n  }\n": types.TriggerRunDocument,
    "\n  mutation SaveWorkflow($projectId: ID!, $yaml: String!) {\n    saveWorkflow(projectId: $projectId, yaml: $yaml) {\n      id\n      name\n      definition\n      description\n      schedule\n      nextFireAt\n      enabled\n      loadError\n    }\n  }\n": types.SaveWorkflowDocument,
    "\n  query WorkflowOptions($projectId: ID) {\n    workflows(projectId: $projectId, first: 500) {\n      edges {\n        node {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.WorkflowOptionsDocument,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      expiresAt\n    }\n  }\n": types.SignInDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactPointsPage($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      name\n      kind\n      url\n      hasSecret\n      ownerWorkflowId\n      email {\n        host\n        port\n        secure\n        user\n        from\n        to\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactPointsPage($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      name\n      kind\n      url\n      hasSecret\n      ownerWorkflowId\n      email {\n        host\n        port\n        secure\n        user\n        from\n        to\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteContactPoint($id: ID!) {\n    deleteContactPoint(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteContactPoint($id: ID!) {\n    deleteContactPoint(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertsPage($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      ...AlertRow\n    }\n  }\n"): (typeof documents)["\n  query AlertsPage($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      ...AlertRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRuleOptions($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AlertRuleOptions($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRulesPage($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      ...AlertRuleFields\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AlertRulesPage($projectId: ID!) {\n    alertRules(projectId: $projectId) {\n      ...AlertRuleFields\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SilencesPage($projectId: ID!) {\n    silences(projectId: $projectId) {\n      id\n      ruleIds\n      workflowIds\n      workflowNames\n      startsAt\n      endsAt\n      comment\n      createdBy\n    }\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query SilencesPage($projectId: ID!) {\n    silences(projectId: $projectId) {\n      id\n      ruleIds\n      workflowIds\n      workflowNames\n      startsAt\n      endsAt\n      comment\n      createdBy\n    }\n    alertRules(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExpireSilence($id: ID!) {\n    expireSilence(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ExpireSilence($id: ID!) {\n    expireSilence(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($failed: RunFilter!, $active: RunFilter!, $period: RunFilter!, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $anomalies: AnomalyFilter!) {\n    failures: runs(filter: $failed, first: 5) {\n      edges {\n        node {\n          ...RunRow\n          error\n        }\n      }\n    }\n    active: runs(filter: $active, first: 10) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n    counts: runStatusCounts(filter: $period) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n    runStatusTrend(filter: $period, bucket: $bucket, from: $from, to: $to) {\n      start\n      counts {\n        status\n        count\n      }\n    }\n    anomalies(filter: $anomalies, first: 50) {\n      ...AnomalyMark\n    }\n  }\n"): (typeof documents)["\n  query Dashboard($failed: RunFilter!, $active: RunFilter!, $period: RunFilter!, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $anomalies: AnomalyFilter!) {\n    failures: runs(filter: $failed, first: 5) {\n      edges {\n        node {\n          ...RunRow\n          error\n        }\n      }\n    }\n    active: runs(filter: $active, first: 10) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n    counts: runStatusCounts(filter: $period) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n    runStatusTrend(filter: $period, bucket: $bucket, from: $from, to: $to) {\n      start\n      counts {\n        status\n        count\n      }\n    }\n    anomalies(filter: $anomalies, first: 50) {\n      ...AnomalyMark\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentDetail($id: ID!) {\n    incident(id: $id) {\n      ...IncidentSummary\n      members {\n        runId\n        projectId\n        at\n        error\n        failedStep\n        worker\n        workflow {\n          id\n          name\n        }\n      }\n      attributes {\n        kind\n        value\n        members\n        memberShare\n        otherShare\n        lift\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentDetail($id: ID!) {\n    incident(id: $id) {\n      ...IncidentSummary\n      members {\n        runId\n        projectId\n        at\n        error\n        failedStep\n        worker\n        workflow {\n          id\n          name\n        }\n      }\n      attributes {\n        kind\n        value\n        members\n        memberShare\n        otherShare\n        lift\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentsPage {\n    incidents(first: 100) {\n      ...IncidentSummary\n      attributes {\n        kind\n        value\n        lift\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentsPage {\n    incidents(first: 100) {\n      ...IncidentSummary\n      attributes {\n        kind\n        value\n        lift\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightPage($weekFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {\n    anomalies(filter: { open: true }, first: 200) {\n      id\n      kind\n      step\n      start\n      raisedAt\n      expected\n      observed\n      projectId\n      workflow {\n        id\n        name\n      }\n    }\n    byProject: runsAggregate(groupBy: [PROJECT, STATUS], from: $weekFrom, to: $to) {\n      projectId\n      status\n      count\n    }\n    topErrors: runsAggregate(filter: { statuses: [FAILED] }, groupBy: [ERROR], from: $dayFrom, to: $to) {\n      error\n      count\n    }\n  }\n"): (typeof documents)["\n  query InsightPage($weekFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {\n    anomalies(filter: { open: true }, first: 200) {\n      id\n      kind\n      step\n      start\n      raisedAt\n      expected\n      observed\n      projectId\n      workflow {\n        id\n        name\n      }\n    }\n    byProject: runsAggregate(groupBy: [PROJECT, STATUS], from: $weekFrom, to: $to) {\n      projectId\n      status\n      count\n    }\n    topErrors: runsAggregate(filter: { statuses: [FAILED] }, groupBy: [ERROR], from: $dayFrom, to: $to) {\n      error\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DismissAnomaly($id: ID!, $reason: String) {\n    dismissAnomaly(id: $id, reason: $reason) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation DismissAnomaly($id: ID!, $reason: String) {\n    dismissAnomaly(id: $id, reason: $reason) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportsPage($projectId: ID!) {\n    reportDefinitions(projectId: $projectId) {\n      id\n      name\n      schedule\n      timeZone\n      periodKind\n      windowHours\n      filter {\n        workflowIds\n      }\n      sections\n      formats\n      contactPointIds\n      skipIfEmpty\n      nextRunAt\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query ReportsPage($projectId: ID!) {\n    reportDefinitions(projectId: $projectId) {\n      id\n      name\n      schedule\n      timeZone\n      periodKind\n      windowHours\n      filter {\n        workflowIds\n      }\n      sections\n      formats\n      contactPointIds\n      skipIfEmpty\n      nextRunAt\n    }\n    contactPoints(projectId: $projectId) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunReportNow($definitionId: ID!) {\n    runReportNow(definitionId: $definitionId) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RunReportNow($definitionId: ID!) {\n    runReportNow(definitionId: $definitionId) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteReportDefinition($id: ID!) {\n    deleteReportDefinition(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteReportDefinition($id: ID!) {\n    deleteReportDefinition(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunEta($id: ID!) {\n    run(id: $id) {\n      id\n      eta {\n        expectedAt\n        p90At\n        basedOn\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunEta($id: ID!) {\n    run(id: $id) {\n      id\n      eta {\n        expectedAt\n        p90At\n        basedOn\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunDetail($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      error\n      queuedReason\n      params\n      retryOf {\n        id\n      }\n      ...RunSteps\n      ...RunHistory\n      ...RunGraph\n      parentStep\n      parentRun {\n        id\n        status\n        workflow {\n          id\n          name\n        }\n      }\n      childRuns {\n        id\n        status\n        parentStep\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunDetail($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      error\n      queuedReason\n      params\n      retryOf {\n        id\n      }\n      ...RunSteps\n      ...RunHistory\n      ...RunGraph\n      parentStep\n      parentRun {\n        id\n        status\n        workflow {\n          id\n          name\n        }\n      }\n      childRuns {\n        id\n        status\n        parentStep\n        workflow {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      snapshot\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...RunRow\n          queuedReason\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      snapshot\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          ...RunRow\n          queuedReason\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunStatusCountsAt($filter: RunFilter, $snapshot: String) {\n    runStatusCounts(filter: $filter, snapshot: $snapshot) {\n      total\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunStatusCountsAt($filter: RunFilter, $snapshot: String) {\n    runStatusCounts(filter: $filter, snapshot: $snapshot) {\n      total\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowDetail($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      definition\n      schedule\n      nextFireAt\n      enabled\n      loadError\n      source\n      tags\n      project {\n        id\n        name\n      }\n      recentRuns {\n        ...RunRow\n      }\n      steps {\n        ...WorkflowGraphStep\n        description\n        call\n      }\n      params {\n        name\n        default\n      }\n      failureProbability {\n        probability\n        baseRate\n        skill\n      }\n      forecast {\n        day\n        total {\n          expected\n          lower\n          upper\n        }\n      }\n    }\n    anomalies(filter: { workflowIds: [$id], kinds: [DURATION_SPIKE], includeDismissed: true }, first: 20) {\n      ...AnomalyMark\n    }\n    workflowStats(workflowId: $id) {\n      total\n      successRate\n      p50DurationMs\n      p95DurationMs\n      snapshot\n    }\n  }\n"): (typeof documents)["\n  query WorkflowDetail($id: ID!) {\n    workflow(id: $id) {\n      id\n      name\n      description\n      definition\n      schedule\n      nextFireAt\n      enabled\n      loadError\n      source\n      tags\n      project {\n        id\n        name\n      }\n      recentRuns {\n        ...RunRow\n      }\n      steps {\n        ...WorkflowGraphStep\n        description\n        call\n      }\n      params {\n        name\n        default\n      }\n      failureProbability {\n        probability\n        baseRate\n        skill\n      }\n      forecast {\n        day\n        total {\n          expected\n          lower\n          upper\n        }\n      }\n    }\n    anomalies(filter: { workflowIds: [$id], kinds: [DURATION_SPIKE], includeDismissed: true }, first: 20) {\n      ...AnomalyMark\n    }\n    workflowStats(workflowId: $id) {\n      total\n      successRate\n      p50DurationMs\n      p95DurationMs\n      snapshot\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetWorkflowEnabled($id: ID!, $enabled: Boolean!) {\n    setWorkflowEnabled(id: $id, enabled: $enabled) {\n      id\n      enabled\n      nextFireAt\n    }\n  }\n"): (typeof documents)["\n  mutation SetWorkflowEnabled($id: ID!, $enabled: Boolean!) {\n    setWorkflowEnabled(id: $id, enabled: $enabled) {\n      id\n      enabled\n      nextFireAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowsPage($projectId: ID) {\n    workflows(projectId: $projectId, first: 200) {\n      edges {\n        node {\n          id\n          name\n          description\n          schedule\n          nextFireAt\n          enabled\n          loadError\n          project {\n            id\n            name\n          }\n          recentRuns {\n            id\n            status\n            durationMs\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkflowsPage($projectId: ID) {\n    workflows(projectId: $projectId, first: 200) {\n      edges {\n        node {\n          id\n          name\n          description\n          schedule\n          nextFireAt\n          enabled\n          loadError\n          project {\n            id\n            name\n          }\n          recentRuns {\n            id\n            status\n            durationMs\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveAlertEvents($projectIds: [ID!], $afterSeq: String) {\n    alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      alertId\n      to\n    }\n  }\n"): (typeof documents)["\n  subscription LiveAlertEvents($projectIds: [ID!], $afterSeq: String) {\n    alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      alertId\n      to\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveIncidentEvents($projectIds: [ID!], $afterSeq: String) {\n    incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription LiveIncidentEvents($projectIds: [ID!], $afterSeq: String) {\n    incidentEvents(projectIds: $projectIds, afterSeq: $afterSeq) {\n      seq\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LiveRun on Run {\n    ...RunRow\n    error\n  }\n"): (typeof documents)["\n  fragment LiveRun on Run {\n    ...RunRow\n    error\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {\n    runEvents(filter: $filter, afterSeq: $afterSeq) {\n      ...RunHistoryEvent\n      step {\n        ...StepRow\n      }\n      run {\n        ...LiveRun\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveRunEvents($filter: RunFilter, $afterSeq: String) {\n    runEvents(filter: $filter, afterSeq: $afterSeq) {\n      ...RunHistoryEvent\n      step {\n        ...StepRow\n      }\n      run {\n        ...LiveRun\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveStatusCounts($filter: RunFilter) {\n    statusCounts(filter: $filter) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveStatusCounts($filter: RunFilter) {\n    statusCounts(filter: $filter) {\n      total\n      snapshot\n      byStatus {\n        status\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      username\n      displayName\n      isAdmin\n      memberships {\n        role\n        project {\n          id\n          slug\n          name\n        }\n      }\n    }\n    projects {\n      id\n      slug\n      name\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      username\n      displayName\n      isAdmin\n      memberships {\n        role\n        project {\n          id\n          slug\n          name\n        }\n      }\n    }\n    projects {\n      id\n      slug\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      acknowledgedBy\n      acknowledgedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      id\n      acknowledgedBy\n      acknowledgedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRow on Alert {\n    id\n    projectId\n    workflowId\n    state\n    summary\n    firedAt\n    resolvedAt\n    acknowledgedBy\n    acknowledgedAt\n    rule {\n      id\n      name\n    }\n    events {\n      seq\n      at\n      from\n      to\n      actor\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment AlertRow on Alert {\n    id\n    projectId\n    workflowId\n    state\n    summary\n    firedAt\n    resolvedAt\n    acknowledgedBy\n    acknowledgedAt\n    rule {\n      id\n      name\n    }\n    events {\n      seq\n      at\n      from\n      to\n      actor\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveContactPoint($input: ContactPointInput!) {\n    saveContactPoint(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SaveContactPoint($input: ContactPointInput!) {\n    saveContactPoint(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactPointDeliveries($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      deliveries(first: 20) {\n        notificationId\n        type\n        attempt\n        at\n        statusCode\n        error\n        durationMs\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactPointDeliveries($projectId: ID!) {\n    contactPoints(projectId: $projectId) {\n      id\n      deliveries(first: 20) {\n        notificationId\n        type\n        attempt\n        at\n        statusCode\n        error\n        durationMs\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FiringAlertCount($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      id\n    }\n  }\n"): (typeof documents)["\n  query FiringAlertCount($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    enabled\n    workflowIds\n    statuses\n    triggers\n    count\n    windowMinutes\n    threshold\n    minRuns\n    resolveThreshold\n    factor\n    limitSeconds\n    baselineRuns\n    graceMinutes\n    minDelta\n    forSeconds\n    keepFiringForSeconds\n    groupWaitSeconds\n    repeatIntervalSeconds\n    contactPointIds\n    ownerWorkflowId\n  }\n"): (typeof documents)["\n  fragment AlertRuleFields on AlertRule {\n    id\n    name\n    kind\n    enabled\n    workflowIds\n    statuses\n    triggers\n    count\n    windowMinutes\n    threshold\n    minRuns\n    resolveThreshold\n    factor\n    limitSeconds\n    baselineRuns\n    graceMinutes\n    minDelta\n    forSeconds\n    keepFiringForSeconds\n    groupWaitSeconds\n    repeatIntervalSeconds\n    contactPointIds\n    ownerWorkflowId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveAlertRule($input: AlertRuleInput!) {\n    saveAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"): (typeof documents)["\n  mutation SaveAlertRule($input: AlertRuleInput!) {\n    saveAlertRule(input: $input) {\n      ...AlertRuleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewAlertRule($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) {\n    previewAlertRule(rule: $rule, from: $from, to: $to) {\n      runsRead\n      episodes {\n        workflowId\n        workflowName\n        firedAt\n        resolvedAt\n        summary\n      }\n    }\n  }\n"): (typeof documents)["\n  query PreviewAlertRule($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) {\n    previewAlertRule(rule: $rule, from: $from, to: $to) {\n      runsRead\n      episodes {\n        workflowId\n        workflowName\n        firedAt\n        resolvedAt\n        summary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewSilence($input: SilenceInput!) {\n    previewSilence(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  query PreviewSilence($input: SilenceInput!) {\n    previewSilence(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSilence($input: SilenceInput!) {\n    createSilence(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSilence($input: SilenceInput!) {\n    createSilence(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestContactPoint($id: ID!) {\n    testContactPoint(id: $id) {\n      ok\n      statusCode\n      error\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  mutation TestContactPoint($id: ID!) {\n    testContactPoint(id: $id) {\n      ok\n      statusCode\n      error\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnomalyMark on Anomaly {\n    id\n    kind\n    projectId\n    workflowId\n    step\n    start\n    end\n  }\n"): (typeof documents)["\n  fragment AnomalyMark on Anomaly {\n    id\n    kind\n    projectId\n    workflowId\n    step\n    start\n    end\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IncidentSummary on Incident {\n    id\n    openedAt\n    closedAt\n    start\n    lastFailureAt\n    memberCount\n    projectIds\n    workflowIds\n  }\n"): (typeof documents)["\n  fragment IncidentSummary on Incident {\n    id\n    openedAt\n    closedAt\n    start\n    lastFailureAt\n    memberCount\n    projectIds\n    workflowIds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewReportDefinition($input: ReportDefinitionInput!) {\n    previewReportDefinition(input: $input) {\n      periodStart\n      periodEnd\n      periodLabel\n      total\n      byStatus {\n        status\n        count\n      }\n      content\n    }\n  }\n"): (typeof documents)["\n  query PreviewReportDefinition($input: ReportDefinitionInput!) {\n    previewReportDefinition(input: $input) {\n      periodStart\n      periodEnd\n      periodLabel\n      total\n      byStatus {\n        status\n        count\n      }\n      content\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveReportDefinition($input: ReportDefinitionInput!) {\n    saveReportDefinition(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SaveReportDefinition($input: ReportDefinitionInput!) {\n    saveReportDefinition(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DefinitionReports($definitionId: ID!, $after: String) {\n    reports(definitionId: $definitionId, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          periodStart\n          periodEnd\n          state\n          origin\n          total\n          generatedAt\n          deliveryState\n          deliveryError\n          files {\n            format\n            size\n            url\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DefinitionReports($definitionId: ID!, $after: String) {\n    reports(definitionId: $definitionId, first: 20, after: $after) {\n      edges {\n        node {\n          id\n          periodStart\n          periodEnd\n          state\n          origin\n          total\n          generatedAt\n          deliveryState\n          deliveryError\n          files {\n            format\n            size\n            url\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryRun($id: ID!, $fromFailedStep: Boolean) {\n    retryRun(id: $id, fromFailedStep: $fromFailedStep) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RetryRun($id: ID!, $fromFailedStep: Boolean) {\n    retryRun(id: $id, fromFailedStep: $fromFailedStep) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveStep($runId: ID!, $step: String!) {\n    approveStep(runId: $runId, step: $step) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveStep($runId: ID!, $step: String!) {\n    approveStep(runId: $runId, step: $step) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectStep($runId: ID!, $step: String!, $reason: String) {\n    rejectStep(runId: $runId, step: $step, reason: $reason) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RejectStep($runId: ID!, $step: String!, $reason: String) {\n    rejectStep(runId: $runId, step: $step, reason: $reason) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkflowGraphStep on WorkflowStep {\n    name\n    depends\n    kind\n  }\n"): (typeof documents)["\n  fragment WorkflowGraphStep on WorkflowStep {\n    name\n    depends\n    kind\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunGraph on Run {\n    outputs\n    workflowSteps {\n      ...WorkflowGraphStep\n    }\n  }\n"): (typeof documents)["\n  fragment RunGraph on Run {\n    outputs\n    workflowSteps {\n      ...WorkflowGraphStep\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunHistoryEvent on RunEvent {\n    seq\n    at\n    kind\n    from\n    to\n    message\n    actor\n    step {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunHistoryEvent on RunEvent {\n    seq\n    at\n    kind\n    from\n    to\n    message\n    actor\n    step {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunHistory on Run {\n    events {\n      ...RunHistoryEvent\n    }\n  }\n"): (typeof documents)["\n  fragment RunHistory on Run {\n    events {\n      ...RunHistoryEvent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowStepLog($runId: ID!, $step: String!, $offset: Int) {\n    stepLog(runId: $runId, step: $step, offset: $offset) {\n      content\n      offset\n      nextOffset\n      complete\n    }\n  }\n"): (typeof documents)["\n  subscription FollowStepLog($runId: ID!, $step: String!, $offset: Int) {\n    stepLog(runId: $runId, step: $step, offset: $offset) {\n      content\n      offset\n      nextOffset\n      complete\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StepRow on StepRun {\n    id\n    name\n    status\n    startedAt\n    finishedAt\n    exitCode\n    error\n    attempt\n  }\n"): (typeof documents)["\n  fragment StepRow on StepRun {\n    id\n    name\n    status\n    startedAt\n    finishedAt\n    exitCode\n    error\n    attempt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunSteps on Run {\n    steps {\n      ...StepRow\n    }\n  }\n"): (typeof documents)["\n  fragment RunSteps on Run {\n    steps {\n      ...StepRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRow on Run {\n    id\n    status\n    trigger\n    createdAt\n    startedAt\n    finishedAt\n    durationMs\n    attempt\n    workflow {\n      id\n      name\n    }\n    project {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunRow on Run {\n    id\n    status\n    trigger\n    createdAt\n    startedAt\n    finishedAt\n    durationMs\n    attempt\n    workflow {\n      id\n      name\n    }\n    project {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    logout\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TriggerParams($id: ID!) {\n    workflow(id: $id) {\n      id\n      params {\n        name\n        default\n      }\n    }\n  }\n"): (typeof documents)["\n  query TriggerParams($id: ID!) {\n    workflow(id: $id) {\n      id\n      params {\n        name\n        default\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TriggerRun($workflowId: ID!, $params: JSON) {\n    triggerRun(workflowId: $workflowId, params: $params) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation TriggerRun($workflowId: ID!, $params: JSON) {\n    triggerRun(workflowId: $workflowId, params: $params) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveWorkflow($projectId: ID!, $yaml: String!) {\n    saveWorkflow(projectId: $projectId, yaml: $yaml) {\n      id\n      name\n      definition\n      description\n      schedule\n      nextFireAt\n      enabled\n      loadError\n    }\n  }\n"): (typeof documents)["\n  mutation SaveWorkflow($projectId: ID!, $yaml: String!) {\n    saveWorkflow(projectId: $projectId, yaml: $yaml) {\n      id\n      name\n      definition\n      description\n      schedule\n      nextFireAt\n      enabled\n      loadError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkflowOptions($projectId: ID) {\n    workflows(projectId: $projectId, first: 500) {\n      edges {\n        node {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkflowOptions($projectId: ID) {\n    workflows(projectId: $projectId, first: 500) {\n      edges {\n        node {\n          id\n          name\n          project {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      expiresAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;