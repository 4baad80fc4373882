// Datasets: which labels train and evaluate, by explicit rules.
export * from './datasets/dataset-rules';
