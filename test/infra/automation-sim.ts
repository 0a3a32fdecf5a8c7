/**
 * A small in-memory model of SSM Automation, enough to run our remediation document: parameter
 * and step-output interpolation, aws:invokeLambdaFunction (with `$.Payload.<field>` selectors),
 * aws:branch (StringEquals choices, Default), aws:executeAutomation (recorded, not run),
 * aws:sleep and aws:executeScript (a failing script fails the step). Step onFailure Abort ends the
 * execution as Failed. It is a model of the documented behaviour, not of the service itself.
 */

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON, walked by shape
type Json = any;

export interface SimDeps {
  /** FunctionName → the function's handler (an exception is a function error). */
  readonly lambdas: Record<string, (event: unknown) => Promise<unknown>>;
  /** Script handler name → whether it raises (our only script is made to raise). */
  readonly scriptRaises: (script: string) => boolean;
}

export interface SimResult {
  readonly status: 'Success' | 'Failed';
  readonly stepsRun: readonly string[];
  readonly failedStep?: string;
  readonly failure?: string;
  readonly childAutomations: readonly {
    DocumentName: string;
    DocumentVersion: string;
    RuntimeParameters: Record<string, string>;
  }[];
  readonly outputs: Record<string, string>;
}

export async function runAutomation(
  document: Json,
  parameters: Record<string, string>,
  deps: SimDeps,
): Promise<SimResult> {
  const outputs: Record<string, string> = {};
  const stepsRun: string[] = [];
  const childAutomations: SimResult['childAutomations'][number][] = [];
  const resolve = (value: Json): Json => {
    if (typeof value === 'string') {
      return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => {
        const v = name.includes('.') ? outputs[name] : parameters[name];
        if (v === undefined) throw new Error(`unresolved variable ${name}`);
        return v;
      });
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    return value;
  };
  for (const [name, spec] of Object.entries(document.parameters as Record<string, Json>)) {
    if (parameters[name] === undefined) throw new Error(`missing parameter ${name}`);
    if (spec.allowedPattern && !new RegExp(spec.allowedPattern).test(parameters[name] as string)) {
      throw new Error(`parameter ${name}=${parameters[name]} does not match ${spec.allowedPattern}`);
    }
  }
  const steps: Json[] = document.mainSteps;
  let index = 0;
  const fail = (step: Json, failure: string): SimResult => ({
    status: 'Failed',
    stepsRun,
    failedStep: step.name,
    failure,
    childAutomations,
    outputs,
  });
  for (;;) {
    const step = steps[index];
    stepsRun.push(step.name);
    let next: string | undefined;
    switch (step.action) {
      case 'aws:invokeLambdaFunction': {
        const inputs = resolve(step.inputs);
        const fn = deps.lambdas[inputs.FunctionName];
        if (!fn) return fail(step, `no function ${inputs.FunctionName}`);
        let payload: Json;
        try {
          payload = await fn(inputs.InputPayload);
        } catch (error) {
          return fail(step, `function error: ${(error as Error).message}`);
        }
        for (const output of step.outputs ?? []) {
          const field = /^\$\.Payload\.(\w+)$/.exec(output.Selector)?.[1];
          if (field === undefined) throw new Error(`unsupported selector ${output.Selector}`);
          if (payload?.[field] !== undefined) outputs[`${step.name}.${output.Name}`] = String(payload[field]);
        }
        break;
      }
      case 'aws:branch': {
        const choice = step.inputs.Choices.find((c: Json) => {
          const variable = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(c.Variable)?.[1] as string;
          return outputs[variable] === c.StringEquals;
        });
        next = choice?.NextStep ?? step.inputs.Default;
        if (next === undefined) return fail(step, 'no branch matched');
        break;
      }
      case 'aws:executeAutomation':
        childAutomations.push(resolve(step.inputs));
        break;
      case 'aws:sleep':
        break;
      case 'aws:executeScript':
        if (deps.scriptRaises(step.inputs.Script)) return fail(step, 'script raised');
        break;
      default:
        throw new Error(`the model does not know ${step.action}`);
    }
    if (step.isEnd) return { status: 'Success', stepsRun, childAutomations, outputs };
    next ??= step.nextStep ?? steps[index + 1]?.name;
    index = steps.findIndex((s) => s.name === next);
    if (index < 0) throw new Error(`no step ${next}`);
  }
}
