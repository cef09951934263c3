import type { Strings } from '../strings'
import type en from '../en/learnViews'

const zh: Strings<typeof en> = {
  word2vec: {
    title: '学习词向量',
    intro:
      '词向量是学出来的，不是人手写的。word2vec（带负采样的 skip-gram）逐词读一段文本，让模型分辨：哪些词真的出现在这个词附近，哪些只是随机抽来的词。每一步训练都会微调向量，让真实的邻居得分更高、随机词得分更低。经常出现在相似上下文里的词，向量最终会指向相近的方向。',
    watch:
      '观察损失如何随着模型越猜越准而下降，图中的词又如何从一团随机的点逐渐聚成一组组。训练结束后，选一个词，查看按余弦相似度排列的最近邻。',
    corpus: '文本',
    corpusShipped: '《创世记》（钦定本，随应用附带）',
    corpusText: '我自己的文本',
    textPlaceholder: '在此粘贴一段文本（几千词以上效果更好）。',
    window: '窗口',
    dims: '维度',
    negatives: '负样本数',
    steps: '步数',
    train: '训练',
    stop: '停止',
    progress: '第 {{step}} / {{steps}} 步 · 损失 {{loss}}',
    finished:
      '已训练 {{steps}} 步，用时 {{seconds}} 秒，文本共 {{words}} 词（词表 {{vocab}} 个）。',
    stopped: '已在第 {{steps}} 步停止。',
    plotTitle: '三维中的词（主成分投影），随训练不断重新投影',
    lossTitle: '每一步的损失',
    stepAxis: '步',
    lossAxis: '损失',
    neighbours: '最近邻：',
    notInVocab: '词表中没有“{{word}}”。',
    files: '或读取 .txt / .md 文件：',
    analogy: '类比：',
    analogyMissing: '其中有词不在词表中',
    similarity: '余弦 {{score}}',
    saved:
      '已保存，可在“空间”标签页作为数据源打开（其他来源 → 导入 TSV）：{{vectors}} 和 {{metadata}}',
  },
  ffn: {
    title: '前馈网络层',
    intro:
      '注意力之后，每一层还会让每个位置经过一个前馈网络：成千上万个神经元，每个神经元按自己的激活强度，把各自的输出向量加到残差流上。把这个输出向量乘以反嵌入矩阵（把最后的隐藏状态变成下一个词得分的矩阵），就能看出这个神经元在推高哪些词元（Geva 等，2022）。',
    watch:
      '选择一层和一个位置：列表给出在该位置对残差流改变最大的神经元，以及每个神经元在这里推高的词元（激活值为负的神经元会把输出向量反向加上，列表已按此计算）。条形图显示每一层的前馈网络对这个位置改变了多少。',
    text: '文本',
    layer: '层',
    position: '位置',
    show: '查看',
    model: '模型：{{name}}',
    neuron: '神经元',
    activation: '激活值',
    contribution: '贡献',
    promotes: '推高的词元',
    layerBars: '各层前馈输出在此位置的大小',
    layerBar: '第 {{layer}} 层',
    small:
      '随应用附带的小模型推高的词元常常只是词的片段；在“模型”标签页换一个真实模型，概念会清楚得多。',
  },
}
export default zh
