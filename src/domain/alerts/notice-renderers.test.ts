import { firingAlert, noticeOf } from '../../test/alert-notices.ts';
import { renderEmail, renderSlackMessage, renderWebhookBody } from './notice-renderers.ts';

describe('notice renderers', () => {
  const nightly = firingAlert('failures', 'nightly');
  const billing = firingAlert('slow <runs>', 'billing & co', { summary: 'took 2 h, over 3 × p95', runId: null });

  it('renders a webhook body in the Standard Webhooks shape: type, timestamp and the notice as data', () => {
    const notice = noticeOf([nightly]);

    expect(JSON.parse(renderWebhookBody(notice))).toEqual({
      type: 'alert.firing',
      timestamp: '2026-12-06T12:00:00.000Z',
      data: { projectId: 'prj_1', projectName: 'payments', alerts: [nightly] },
    });
  });

  it('renders a Slack message with a title and one line per alert, Slack markup escaped', () => {
    const message = renderSlackMessage(noticeOf([nightly, billing]));

    expect(message.text).toBe('[FIRING:2] payments: 2 alerts');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '[FIRING:2] payments: 2 alerts' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '• *failures on nightly* (FIRING): 3 consecutive failures (fired 2026-12-06T12:00:00.000Z, run run_0001)',
            '• *slow &lt;runs&gt; on billing &amp; co* (FIRING): took 2 h, over 3 × p95 (fired 2026-12-06T12:00:00.000Z)',
          ].join('\n'),
        },
      },
    ]);
  });

  it('names the one alert of a notice in its title, and counts the alerts past the listed ones', () => {
    const resolved = noticeOf([firingAlert('failures', 'nightly', { state: 'RESOLVED', resolvedAt: '2026-12-06T13:00:00.000Z' })], 'alert.resolved');
    const many = noticeOf(Array.from({ length: 23 }, (_, index) => firingAlert('failures', `wf${index}`)));

    expect(renderSlackMessage(resolved).text).toBe('[RESOLVED] payments: failures on nightly');
    expect(renderSlackMessage(many).blocks[1]?.text.text.split('\n').slice(-2)).toEqual(['• *failures on wf19* (FIRING): 3 consecutive failures (fired 2026-12-06T12:00:00.000Z, run run_0001)', 'and 3 more']);
  });

  it('renders an email with the title as subject and one line per alert in the body', () => {
    const email = renderEmail(noticeOf([nightly]));

    expect(email).toEqual({
      subject: '[FIRING] payments: failures on nightly',
      text: ['Project payments, 2026-12-06T12:00:00.000Z:', '', '- failures on nightly (FIRING): 3 consecutive failures (fired 2026-12-06T12:00:00.000Z, run run_0001)', '', '-- Runtrail'].join('\n'),
    });
  });

  it('renders a test notice as a test in every kind', () => {
    const notice = noticeOf([], 'alert.test');

    expect(renderEmail(notice).subject).toBe('[TEST] payments: a test notice from Runtrail');
    expect(renderEmail(notice).text).toContain('This contact point works');
    expect(renderSlackMessage(notice).blocks[1]?.text.text).toBe('This contact point works: Runtrail can reach it.');
    expect(JSON.parse(renderWebhookBody(notice))).toMatchObject({ type: 'alert.test', data: { alerts: [] } });
  });
});
