import { parseValid, problemsOf } from '../../test/workflow-specs.ts';

describe('step executors', () => {
  it('reads an http step in the new spelling (type + with) and in the old one (executor + config) alike', () => {
    const newForm = parseValid(
      ['steps:', '  - name: get', '    type: http', '    command: POST https://example.com/items', '    with:', '      headers: {Content-Type: application/json}', '      query: {page: "1"}', '      body: \'{"a": 1}\'', '      timeout: 5', '      silent: true'].join('\n'),
    );
    const oldForm = parseValid(
      ['steps:', '  - name: get', '    executor:', '      type: http', '      config:', '        headers: {Content-Type: application/json}', '        query: {page: "1"}', '        body: \'{"a": 1}\'', '        timeout: 5', '        silent: true', '    command: POST https://example.com/items'].join('\n'),
    );
    const expected = {
      kind: 'http',
      method: 'POST',
      url: 'https://example.com/items',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      query: [{ name: 'page', value: '1' }],
      body: '{"a": 1}',
      timeoutSec: 5,
      silent: true,
      json: false,
      skipTlsVerify: false,
    };
    expect(newForm.steps[0]?.executor).toEqual(expected);
    expect(oldForm.steps[0]?.executor).toEqual(expected);
    expect(newForm.steps[0]?.type).toBe('command');
  });

  it('reads a jq step with its filter in command and its input in script, and a plain step as a shell step', () => {
    const spec = parseValid(['steps:', '  - name: pick', '    executor: jq', "    command: '.name'", '    script: \'{"name": "x"}\'', '  - name: plain', '    command: echo hi'].join('\n'));
    expect(spec.steps[0]?.executor).toEqual({ kind: 'jq', filter: '.name', input: '{"name": "x"}', raw: false });
    expect(spec.steps[1]?.executor).toEqual({ kind: 'shell' });
  });

  it("gives a mail step the workflow's smtp server, without mailOn, and needs no command for it", () => {
    const spec = parseValid(
      ['smtp: {host: mail.example.com, port: "587"}', 'steps:', '  - name: tell', '    type: mail', '    with: {to: [a@example.com, b@example.com], from: r@example.com, subject: Done, message: All good}'].join('\n'),
    );
    expect(spec.steps[0]?.executor).toEqual({
      kind: 'mail',
      smtp: { host: 'mail.example.com', port: 587, username: null, password: null },
      from: 'r@example.com',
      to: ['a@example.com', 'b@example.com'],
      subject: 'Done',
      message: 'All good',
      attachments: [],
    });
  });

  it('reads an ssh step with Dagu\'s "ip" for the host and host-key checking on by default', () => {
    const spec = parseValid(['steps:', '  - name: remote', '    executor: {type: ssh, config: {user: deploy, ip: 10.0.0.5, key: /keys/id}}', '    command: uptime'].join('\n'));
    expect(spec.steps[0]?.executor).toEqual({ kind: 'ssh', user: 'deploy', host: '10.0.0.5', port: 22, key: '/keys/id', password: null, strictHostKey: true, knownHostFile: null });
  });

  it("gives plain and settings-less ssh steps the workflow's ssh:, which takes no password", () => {
    const spec = parseValid(['ssh: {user: deploy, host: app.example.com, key: ~/.ssh/deploy}', 'steps:', '  - name: a', '    command: uptime', '  - name: b', '    type: ssh', '    command: df', '  - name: c', '    type: jq', "    command: '.'", "    script: '{}'"].join('\n'));
    const expected = { kind: 'ssh', user: 'deploy', host: 'app.example.com', port: 22, key: '~/.ssh/deploy', password: null, strictHostKey: true, knownHostFile: null };
    expect(spec.steps.map((step) => step.executor.kind)).toEqual(['ssh', 'ssh', 'jq']);
    expect(spec.steps[0]?.executor).toEqual(expected);
    expect(spec.steps[1]?.executor).toEqual(expected);
    expect(problemsOf(['ssh: {user: d, host: h, password: x}', 'steps:', '  - name: a', '    command: uptime'].join('\n'))).toContain('wf.yaml:1:25 ssh: a password may be set on a step\'s ssh settings only');
    expect(problemsOf(['steps:', '  - name: a', '    type: ssh', '    command: uptime'].join('\n'))).toContain("steps[0] (a): an ssh step needs with: {user, host, ...}, or the workflow's ssh: settings");
  });

  it('refuses docker, container and AI agent steps by name, with the line', () => {
    const problems = problemsOf(['steps:', '  - name: a', '    type: docker', '    command: echo', '  - name: b', '    executor: {type: container}', '    command: echo', '  - name: c', '    type: agent', '    command: summarize'].join('\n'));
    expect(problems).toContain('wf.yaml:3:11 steps[0] (a).type: "docker" steps are not supported here; Runtrail runs no containers');
    expect(problems).toContain('wf.yaml:6:22 steps[1] (b).executor.type: "container" steps are not supported here');
    expect(problems).toContain('wf.yaml:9:11 steps[2] (c).type: "agent" steps are not supported here; AI agent steps need a model');
  });

  it('says what is wrong with an executor step and how to fix it', () => {
    expect(problemsOf(['steps:', '  - name: a', '    type: http', '    command: https://example.com'].join('\n'))).toContain('steps[0] (a).command: must be "METHOD URL" such as "GET https://example.com/health", got "https://example.com"');
    expect(problemsOf(['steps:', '  - name: a', '    type: htp', '    command: x'].join('\n'))).toContain('unknown type "htp"; supported: command, approval, shell, http, jq, mail, ssh; did you mean "http"?');
    expect(problemsOf(['steps:', '  - name: a', '    type: mail', '    with: {to: a@example.com, from: r@example.com}'].join('\n'))).toContain('a mail step sends through the workflow\'s "smtp" server; add smtp');
    expect(problemsOf(['steps:', '  - name: a', '    type: ssh', '    with: {host: h}', '    command: uptime'].join('\n'))).toContain('steps[0] (a).with.user: missing; the user to log in as');
    expect(problemsOf(['steps:', '  - name: a', '    command: echo', '    with: {x: 1}'].join('\n'))).toContain('"with" configures an executor; add type: shell, type: http');
  });
});
