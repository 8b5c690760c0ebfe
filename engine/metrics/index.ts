// Objective speech-quality metrics, written from the papers.
export { siSdr, snr } from './si-sdr.js';
export { segmentalSnr } from './seg-snr.js';
export { stoi, estoi } from './stoi.js';
export { activeSpeechPower, mixAtSnr } from './active-level.js';
