// The Vercel AI SDK's default OpenAI provider call, openai(model), against a Pinaivu network.
// In AI SDK 5 and later that call uses the Responses API (POST /v1/responses). Prints one JSON
// line per call for AiSdkIT to check; exits 1 on any error.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool, jsonSchema } from 'ai';

const { PINAIVU_BASE_URL: baseURL, PINAIVU_KEY: apiKey, PINAIVU_MODEL: model } = process.env;
const openai = createOpenAI({ baseURL, apiKey });

const whole = await generateText({ model: openai(model), prompt: 'Hello AI SDK', maxRetries: 0 });
console.log(JSON.stringify({
  call: 'generateText',
  text: whole.text,
  responseId: whole.response.id,
  inputTokens: whole.usage.inputTokens,
  outputTokens: whole.usage.outputTokens,
}));

const streamed = streamText({ model: openai(model), prompt: 'Hello stream', maxRetries: 0 });
let text = '';
for await (const delta of streamed.textStream) {
  text += delta;
}
const usage = await streamed.usage;
console.log(JSON.stringify({
  call: 'streamText',
  text,
  responseId: (await streamed.response).id,
  outputTokens: usage.outputTokens,
}));

const called = await generateText({
  model: openai(model),
  prompt: 'Weather in Paris?',
  tools: {
    get_weather: tool({
      description: 'The weather in a city',
      inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } } }),
    }),
  },
  toolChoice: 'required',
  maxRetries: 0,
});
console.log(JSON.stringify({
  call: 'toolCall',
  toolCalls: called.toolCalls.map((c) => ({ name: c.toolName, input: c.input })),
}));
