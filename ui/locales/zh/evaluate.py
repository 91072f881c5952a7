"""Chinese strings: evaluate."""

STRINGS: dict[str, str] = {
    # the charts' accessible names (what a screen reader says of them)
    "Test-set scores: {scores}.": "测试集得分：{scores}。",
    "{name}: accuracy {accuracy:.3f}, macro-F1 {f1:.3f}": "{name}：准确率 {accuracy:.3f}，宏平均 F1 {f1:.3f}",
    "Confusion matrix of {n} classes: all {total:,} test texts on the diagonal.": (
        "{n} 个类别的混淆矩阵：全部 {total:,} 条测试文本都在对角线上。"
    ),
    "Confusion matrix of {n} classes: {right:,} of {total:,} test texts on the diagonal; the most frequent "
    "mistake is {true} read as {pred} ({count:,}).": (
        "{n} 个类别的混淆矩阵：{total:,} 条测试文本中有 {right:,} 条在对角线上；最常见的错误是把 {true} 判为 {pred}"
        "（{count:,} 条）。"
    ),
    "The classes are about equal in size, so weighting them would change little: add examples of them.": (
        "各类别的大小差不多，所以给类别加权帮助不大：请为它们添加样本。"
    ),
    "At least {seen:,} of the {total:,} test texts were among the texts the encoder it started from (or a run "
    "before that) learned on, so these scores flatter it.": (
        "{total:,} 条测试文本中至少有 {seen:,} 条在它起步的编码器（或更早的运行）学过的文本之中，所以这些得分偏高。"
    ),
    "{seen:,} of the {total:,} test texts were among the texts the encoder it started from (or a run before "
    "that) learned on, so these scores flatter it.": (
        "{total:,} 条测试文本中有 {seen:,} 条在它起步的编码器（或更早的运行）学过的文本之中，所以这些得分偏高。"
    ),
    "Run {name}:": "运行 {name}：",
    "To measure what pretraining is worth, pretrain on texts that leave these test texts out.": (
        "要衡量预训练的价值，请在不含这些测试文本的文本上预训练。"
    ),
    "It knew their labels, too: start from a run that learned on other texts to measure the gain.": (
        "它还知道这些文本的标签：要衡量收益，请从在其他文本上学习的运行起步。"
    ),
    # a text's row in the user's own file (a mistake's, a search result's)
    "row in file": "文件中的行",
    "label in file": "文件中的标签",
    # on another dataset (ui/score_elsewhere.py)
    "On another dataset": "在另一个数据集上",
    "How does this model do on texts from elsewhere: another source with the same classes, or this file "
    "imported again with its labels fixed? The run itself is not changed.": (
        "这个模型在别处的文本上表现如何：类别相同的另一个来源，或者修正标签后重新导入的同一个文件？运行本身不会改变。"
    ),
    "No other stored dataset has any of this run's classes. Import one on the Data page (keep the splits of "
    "this run's dataset to score it on the same test texts), then come back.": (
        "没有别的已存数据集包含这个运行的任何类别。请在“数据”页导入一个（保留这个运行的数据集的划分，"
        "就能在相同的测试文本上评分），然后再回来。"
    ),
    " (its own)": "（它自己的）",
    "its test split": "它的测试集",
    "all its labelled texts": "它所有带标签的文本",
    "Score on it": "在它上面评分",
    "Score on it again": "在它上面重新评分",
    "Scoring in the background": "正在后台评分",
    "Could not score it: {error}": "无法评分：{error}",
    "These scores are of weights, texts or class names that have changed since (the run was trained again, or "
    "the dataset imported again or its classes renamed): score it again.": (
        "这些分数来自此后已经改变的权重、文本或类别名（运行被重新训练过，或数据集被重新导入过、类别被改名过）：请重新评分。"
    ),
    "The scores of the last scoring are gone: score it again.": "上次评分的结果已不在：请重新评分。",
    "Dataset to score on": "用来评分的数据集",
    "Accuracy on texts it never learned": "在它没学过的文本上的准确率",
    "The change is against its own test split ({own}).": "变化是相对于它自己的测试集（{own}）。",
    "The change is against its own test texts of these {n} classes ({own}).": (
        "变化是相对于它自己这 {n} 个类别的测试文本（{own}）。"
    ),
    "95% range of the accuracy: {low} to {high}.": "准确率的 95% 区间：{low} 到 {high}。",
    "The run learned from {seen:,} of these {total:,} texts, so on them this is no test: the scores above are of "
    "the other {n:,}, and the table below is of all {total:,} (accuracy {accuracy}).": (
        "运行学过这 {total:,} 条文本中的 {seen:,} 条，在它们上面这不算测试：上面的分数来自其余 {n:,} 条，"
        "下面的表格则包括全部 {total:,} 条（准确率 {accuracy}）。"
    ),
    "The run learned from all {total:,} of these texts, so this is no test of it.": (
        "运行学过全部这 {total:,} 条文本，所以这不算对它的测试。"
    ),
    "The run learned from none of this dataset's {total:,} labelled texts, so every one of them is a test: "
    "score all of them for a surer figure.": (
        "运行没有学过这个数据集 {total:,} 条带标签文本中的任何一条，所以每一条都可以用来测试：在全部文本上评分，结果更可靠。"
    ),
    "Not offered, as none of their classes is one this run learned: {names}. Rename their classes to the run's "
    "on the Data page to score them.": (
        "未列出，因为它们的类别都不是这个运行学过的：{names}。在“数据”页把它们的类别改名为运行的类别名即可评分。"
    ),
    "Not offered, as they have no labels: {names}.": "未列出，因为它们没有标签：{names}。",
    "texts scored": "评分的文本",
    "{n:,} text(s) of classes this run never learned were left out: {classes}.": (
        "有 {n:,} 条文本属于这个运行从未学过的类别，已略去：{classes}。"
    ),
    "Run “{run}” was trained on an earlier import of dataset `{dataset}` (it was deleted and imported again since, with "
    "other rows). What this page shows of the run (its scores, mistakes, map and neighbours) is of the rows it was "
    "trained on then, not of the {rows:,} rows stored now. Train a new run to work with these.": (
        "运行“{run}”是在数据集 `{dataset}` 较早的一次导入上训练的（之后它被删除并重新导入，行已不同）。"
        "本页显示的这个运行的内容（得分、错误、嵌入图和近邻）都来自它当时训练用的行，而不是现在存储的 {rows:,} 行。"
        "要使用这些行，请训练一个新运行。"
    ),
    "This run's own dataset was imported again since it trained (other rows under the same id), so which of these "
    "texts it learned from cannot be told.": (
        "这个运行自己的数据集在它训练之后被重新导入过（同一个 id 下换了别的行），所以无法判断它从这些文本中学过哪些。"
    ),
    "This run's own dataset is gone, so whether it learned from any of these texts cannot be told.": (
        "这个运行自己的数据集已不在，所以无法判断它是否学过其中的文本。"
    ),
    "No mistakes: every scored text is classified as labelled.": "没有错误：每条评分的文本都被分到了标注的类别。",
    "{wrong:,} of {total:,} texts are classified otherwise than labelled; the most confident come first.": (
        "{total:,} 条文本中有 {wrong:,} 条被分到了与标签不同的类别；最有把握的排在前面。"
    ),
    "Download these mistakes as CSV": "将这些错误下载为 CSV",
    "Every text, not only the test split (to find wrong labels)": "所有文本，不只是测试集（用来找出标错的标签）",
    "The model learned the training texts' labels, so it contradicts few of them; where it does, and "
    "confidently, the label itself is worth checking.": (
        "模型学过训练文本的标签，所以很少与它们相左；一旦相左而且很有把握，值得检查的就是标签本身。"
    ),
    "No text disagrees with its label: all {total:,} are classified as labelled.": (
        "没有文本与其标签不符：全部 {total:,} 条都被分到了标注的类别。"
    ),
    "{wrong:,} of {total:,} texts (every split) are classified otherwise than labelled: those most "
    "confidently so come first, and their labels are the first to check.": (
        "{total:,} 条文本（所有划分）中有 {wrong:,} 条被分到了与标签不同的类别：最有把握的排在前面，"
        "它们的标签最值得先检查。"
    ),
    # title and run states
    "Evaluate": "评估",
    "Run {run} was stopped before it ended; a stopped run is evaluated only when you ask.": (
        "运行 {run} 在结束前已停止；已停止的运行只在你要求时才会评估。"
    ),
    "Evaluating the checkpoint in the background": "正在后台评估检查点",
    "Evaluate this checkpoint": "评估此检查点",
    "The evaluation failed: {error}": "评估失败：{error}",
    "Run {run} is {state}: its evaluation appears when training ends.": (
        "“{run}”目前的状态：{state}。训练结束后，评估结果会显示在这里。"
    ),
    "Watch it train": "查看训练过程",
    "Run {run} is {state} again: the scores below are those of its last evaluated checkpoint, "
    "and they are replaced when this training ends.": (
        "运行 {run} 又处于“{state}”状态：下方分数来自它上次评估的检查点，本次训练结束后会被替换。"
    ),
    # pretraining runs
    "Pretraining run **{run}** on **{dataset}** · masked-language modelling · {n:,} held-out text(s)": (
        "预训练运行 **{run}** · 数据集 **{dataset}** · 掩码语言建模 · {n:,} 条留出文本"
    ),
    "Pretraining run **{run}** on **{dataset}** · masked-language modelling · {n:,} held-out window(s) "
    "of {tokens:,} tokens of its corpus": (
        "预训练运行 **{run}** · 数据集 **{dataset}** · 掩码语言建模 · 语料中 {n:,} 个留出窗口（每个 {tokens:,} 个词元）"
    ),
    "MLM loss": "MLM 损失",
    "Masked-token accuracy": "掩码词元准确率",
    "Perplexity": "困惑度",
    "perplexity": "困惑度",
    "e^loss: how many tokens the model hesitates between, on average.": "e^loss：模型平均在多少个词元之间犹豫不决。",
    "Throughput (tokens/s)": "吞吐量（词元/秒）",
    "validation": "验证",
    "Fill the mask": "填充掩码",
    "None of the {n:,} held-out texts has a token the vocabulary knows (they are in another script or language than the training texts), so nothing could be masked and scored: this run has no held-out score. Pretrain on texts like the ones it will read.": (
        "{n:,} 条留出文本中没有一个词元在词表里（它们与训练文本的文字或语言不同），因此无法掩码并评分：这个运行没有留出集分数。请在与它将要读取的文本相似的文本上预训练。"
    ),
    "How surprised the model is by each hidden token of the held-out texts (cross-entropy; lower is better). Guessing evenly among the {vocabulary:,} tokens of its vocabulary scores {uniform:.1f}.": (
        "模型对留出文本中每个被掩码的词元的“意外程度”（交叉熵；越低越好）。在词表的 {vocabulary:,} 个词元中平均乱猜，得分为 {uniform:.1f}。"
    ),
    "Share of the hidden tokens (about {rate:.0%} of each held-out text) whose exact token the model ranks first.": (
        "被掩码的词元（约占每条留出文本的 {rate:.0%}）中，模型把正确词元排在第一位的比例。"
    ),
    "The baseline {run} has no scores to compare with (its results file is missing). Evaluate it again: python -m core evaluate --again --run {run}": (
        "基线 {run} 没有可比较的分数（它的结果文件不见了）。请重新评估它：python -m core evaluate --again --run {run}"
    ),
    "The baseline {run} failed; start it again on the Train page to compare with it.": (
        "基线 {run} 失败了；请在“训练”页面重新开始它，以便与它比较。"
    ),
    "This run held out no texts, so it has no held-out score. Pretrain on a dataset with more texts.": (
        "该运行没有留出任何文本，因此没有留出集得分。请在文本更多的数据集上预训练。"
    ),
    "A sentence with [MASK]": "含 [MASK] 的句子",
    "Only the first {shown} of the {written} [MASK]s fit in the model's window of {max_len} tokens; "
    "the text after that was cut.": "模型的窗口只有 {max_len} 个词元，{written} 个 [MASK] 中只有前 {shown} 个在窗口内；之后的文本被截掉了。",
    "[MASK] number {i}": "第 {i} 个 [MASK]",
    "token": "词元",
    "probability": "概率",
    "Put [MASK] where a token should be filled in.": "在需要填充词元的位置写上 [MASK]。",
    # classification runs: scores against the baseline
    "Macro-F1 is {gap:.1f} pt below accuracy: 1 of the {classes:,} classes is never predicted right ({names}).": (
        "Macro-F1 比准确率低 {gap:.1f} 个百分点：{classes:,} 个类别中有 1 个从未预测对（{names}）。"
    ),
    "Macro-F1 is {gap:.1f} pt below accuracy: {n:,} of the {classes:,} classes are never predicted right ({names}).": (
        "Macro-F1 比准确率低 {gap:.1f} 个百分点：{classes:,} 个类别中有 {n:,} 个从未预测对（{names}）。"
    ),
    "It has {most:,} test text(s), so a text or two moves its score a lot.": (
        "它只有 {most:,} 条测试文本，一两条文本就能让它的分数大起大落。"
    ),
    "They have {most:,} test text(s) or fewer each, so a text or two moves their scores a lot.": (
        "它们各自最多只有 {most:,} 条测试文本，一两条文本就能让它们的分数大起大落。"
    ),
    " and {n:,} more": " 等另外 {n:,} 个",
    "This Transformer reads the first {max_len} tokens of a text: about {share:.0%} of a typical text here. The rest "
    "of each played no part in these scores.": (
        "这个 Transformer 只读一条文本的前 {max_len} 个词元：约为这里一条典型文本的 {share:.0%}。"
        "其余部分与这些分数无关。"
    ),
    "To give rare classes more weight, train again with 'Weight classes by rarity' (Advanced training settings), "
    "or add examples of them.": "要让稀有类别得到更多权重，可在“高级训练设置”中勾选“按类别加权 (class_weights)”后重新训练，或为它们补充样本。",
    "This model does no better than always answering the most common class ({majority:.1%}): the classes are far "
    "apart in size, and it has learned to answer the largest. Train an encoder with 'Weight classes by rarity' "
    "(Advanced training settings), or add examples of the small classes.": (
        "这个模型并不比总是回答最常见的类别（{majority:.1%}）更好：各类别大小相差很大，它学会了回答最大的那个。"
        "请在“高级训练设置”中勾选“按类别加权 (class weights)”训练一个编码器，或为小类别补充样本。"
    ),
    "This model does no better than always answering the most common class ({majority:.1%}): it has learned next "
    "to nothing. Check that the texts and the labels belong together.": (
        "这个模型并不比总是回答最常见的类别（{majority:.1%}）更好：它几乎什么都没学到。请检查文本和标签是否对应。"
    ),
    "This model does no better than always answering the most common class ({majority:.1%}): it has "
    "learned next to nothing. Train it longer (more epochs, or a longer time budget), or check that "
    "the texts and the labels belong together.": (
        "这个模型并不比“总是回答最常见的类别”（{majority:.1%}）更好：它几乎什么都没学到。"
        "请训练得更久（更多轮次或更长的时间预算），或检查文本和标签是否对应。"
    ),
    "Run **{run}** · {task} on **{dataset}** · test split of {n:,} texts": (
        "运行 **{run}** · {task} · 数据集 **{dataset}** · 测试集 {n:,} 条文本"
    ),
    "Run **{run}** · {task} on **{dataset}** · test split of {n:,} texts · state {state}": (
        "运行 **{run}** · {task} · 数据集 **{dataset}** · 测试集 {n:,} 条文本 · 状态：{state}"
    ),
    "Run **{run}** · {encoder} · {task} on **{dataset}** · test split of {n:,} texts": (
        "运行 **{run}** · {encoder} · {task} · 数据集 **{dataset}** · 测试集 {n:,} 条文本"
    ),
    "Run **{run}** · {encoder} · {task} on **{dataset}** · test split of {n:,} texts · state {state}": (
        "运行 **{run}** · {encoder} · {task} · 数据集 **{dataset}** · 测试集 {n:,} 条文本 · 状态：{state}"
    ),
    # the delta keeps its sign first: Streamlit colours a metric's delta by its leading sign
    "{delta:+.1f} pt": "{delta:+.1f} 个百分点",
    "{delta:+.1f} pt vs a simple keyword model": "{delta:+.1f} 个百分点（与简单关键词模型相比）",
    "{delta:+.1f} pt vs the baseline": "{delta:+.1f} 个百分点（与基线相比）",
    "{points:.1f} pt": "{points:.1f} 个百分点",
    "The arrow: points above or below the TF-IDF + LR baseline on the same test split.": (
        "箭头：在同一测试集上比 TF-IDF + 逻辑回归基线高或低多少个百分点。"
    ),
    "Accuracy": "准确率",
    "Macro-F1": "宏平均 F1",
    "F1, every class equal": "F1（各类同权）",
    "The F1 score (the balance of precision and recall) of each class, averaged with every class counting "
    "the same: a small class the model misses pulls it down, where accuracy barely moves.": (
        "先算每个类别的 F1（精确率与召回率的平衡），再让每个类别同等分量地取平均：模型漏掉一个小类别时，"
        "准确率几乎不变，它却会明显下降。"
    ),
    "Majority class": "多数类基线准确率",
    "Guessing the biggest class": "总是猜样本最多的类",
    "Accuracy of always answering the most common class.": "始终回答最常见类别时的准确率。",
    "Calibration (ECE)": "校准误差（ECE）",
    "Confidence off by": "置信度偏差",
    "metric|Confidence off by": "置信度偏差（百分点）",
    "metric|{points:.1f} pt": "{points:.1f}",
    "Average gap between confidence and accuracy; 0 is perfect.": "置信度与准确率之间的平均差距；0 表示完美校准。",
    "this run: {encoder}": "本次运行：{encoder}",
    "baseline: TF-IDF + LR": "基线：TF-IDF + LR",
    "Train the baseline on this dataset (seconds)": "在此数据集上训练基线（只需几秒）",
    "The baseline is training; its scores appear here when it is done.": "基线正在训练，完成后其分数会显示在这里。",
    # per class and confusion
    "Per class": "各类别指标",
    "class": "类别",
    "precision (of a class)": "精确率",
    "recall": "召回率",
    "support": "样本数",
    "The {shown} classes most involved in mistakes, of {total:,}; the table on the left lists every class.": (
        "显示 {total:,} 个类别中错误最多的 {shown} 个；左侧表格列出了全部类别。"
    ),
    "The {involved} classes involved in mistakes and the {rest} largest others, of {total:,}; the table on the left "
    "lists every class.": "显示 {total:,} 个类别中出过错的 {involved} 个，以及其余最大的 {rest} 个；左侧表格列出了全部类别。",
    "The table lists the classes with the lowest F1 first; click a header to sort by it.": (
        "表格先列出 F1 最低的类别；点击表头可按该列排序。"
    ),
    "Double-click a name to read it whole.": "双击名称可查看全文。",
    "The {shown} largest classes, of {total:,}: the model got every test text right. The table on the left lists "
    "every class.": "显示 {total:,} 个类别中最大的 {shown} 个：模型答对了全部测试文本。左侧表格列出了全部类别。",
    "the examples of each confusion cell and the list of mistakes": "各混淆单元格的样本和错误样本列表",
    "Examples in a confusion cell": "混淆单元格中的样本",
    "True class": "真实标签",
    "Predicted class": "预测类别",
    "Test texts labelled **{true}** and predicted **{pred}**: {n:,}.": (
        "{n:,} 条测试文本的真实标签为 **{true}**、被预测为 **{pred}**。"
    ),
    "Test texts labelled **{true}** and predicted **{pred}**: {n:,} (or click a cell of the matrix above).": (
        "{n:,} 条测试文本的真实标签为 **{true}**、被预测为 **{pred}**（也可点击上方混淆矩阵中的单元格）。"
    ),
    "The texts of that cell are listed below, under “{section}”.": "该单元格的文本列在下方“{section}”中。",
    "text": "文本",
    "label": "标签",
    "pred": "预测",
    "confidence": "置信度",
    # mistakes
    "Mistakes, most confident first": "错误样本（按置信度从高到低）",
    "{wrong:,} of {total:,} test texts are misclassified.": "{total:,} 条测试文本中有 {wrong:,} 条分类错误。",
    "Download the mistakes as CSV": "下载错误样本（CSV）",
    # an ensemble's members
    "Members": "成员",
    "The ensemble averages these runs' probabilities with the weights shown, each softened or sharpened by its temperature (fitted on the validation split).": (
        "集成按所示权重对这些运行的概率取加权平均，每个成员的概率先按其温度（在验证集上拟合）变平缓或变尖锐。"
    ),
    "The ensemble averages these runs' probabilities with the weights shown; one temperature, fitted on the validation split, then calibrates the average.": (
        "集成按所示权重对这些运行的概率取加权平均；随后用一个在验证集上拟合的温度校准平均结果。"
    ),
    "weight": "权重",
    "run": "运行",
    "encoder": "编码器",
    "validation accuracy": "验证准确率",
    "test accuracy": "测试准确率",
    "temperature": "温度",
    "No mistakes: all {total:,} test texts are classified correctly.": "没有错误：全部 {total:,} 条测试文本都分类正确。",
    "A member of the ensemble {ensembles}, which predicts with it: it cannot be deleted or trained again while that ensemble exists.": "集成 {ensembles} 的成员，该集成用它来预测：集成还在时，这个运行不能删除，也不能重新训练。",
    "A member of {count} ensembles ({ensembles}), which predict with it: it cannot be deleted or trained again while they exist.": "{count} 个集成（{ensembles}）的成员，它们用它来预测：这些集成还在时，这个运行不能删除，也不能重新训练。",
    "The model knows {share:.0%} of this sentence's words, so its guesses say little about it. "
    "Try a sentence like the texts it was pretrained on.": (
        "模型只认识这句话 {share:.0%} 的词，它的猜测说明不了什么。请换一句与它预训练文本相似的句子。"
    ),
    "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is {gap:.1f} pt below it.": (
        "它最好的成员 {member} 单独在测试集上得分 {best:.4f}：集成比它低 {gap:.1f} 个百分点。"
    ),
    "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is {gap:.1f} pt above it.": (
        "它最好的成员 {member} 单独在测试集上得分 {best:.4f}：集成比它高 {gap:.1f} 个百分点。"
    ),
    "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is level with it.": (
        "它最好的成员 {member} 单独在测试集上得分 {best:.4f}：集成与它持平。"
    ),
    "The gap is unlikely to be chance ({p}).": "这一差距不太可能只是偶然（{p}）。",
    "Averaging helps when members make different mistakes; try leaving out the weaker ones.": (
        "成员犯的错误各不相同时，平均才有帮助；可以试试去掉较弱的成员。"
    ),
    "{share} of the test texts (of {checked:,} checked) are near-copies of training texts of the same class, e.g. "
    "“{test}” (test) and “{train}” (training). The scores count them as new texts, so they may "
    "overstate how the model does on texts unlike its training data.": (
        "{share} 的测试文本（共检查 {checked:,} 条）与同一类别的训练文本几乎相同，例如“{test}”（测试）与“{train}”（训练）。"
        "分数把它们当作新文本计算，因此可能高估模型在与训练数据不同的文本上的表现。"
    ),
    "Only {n:,} test texts: one more right or wrong moves accuracy by {step:.1f} pt, and the model's true "
    "accuracy could be anywhere from {low} to {high} (95% range). Read these scores as rough; a bigger "
    "dataset (or test share) firms them up.": (
        "测试文本只有 {n:,} 条：多对或多错一条，准确率就变化 {step:.1f} 个百分点，模型真实的准确率可能在 {low} 到 {high} "
        "之间（95% 区间）。这些分数只能粗看；更大的数据集（或更大的测试比例）会让它们更可靠。"
    ),
    "The run's model file is missing. The scores below were measured before, but it cannot classify, "
    "map or search new texts: start it again on the Train page.": (
        "这个运行的模型文件不见了。下面的分数是之前测得的，但它已无法对新文本分类、绘制地图或搜索：请在“训练”页面重新开始它。"
    ),
    "The run's model file is damaged ({problem}). The scores below were measured before, but it "
    "cannot classify, map or search new texts: start it again on the Train page.": (
        "这个运行的模型文件已损坏（{problem}）。下面的分数是之前测得的，但它已无法对新文本分类、绘制地图或搜索：请在“训练”页面重新开始它。"
    ),
    "A Transformer trained from scratch learns its words and their order from the {n:,} training "
    "texts alone, and that many are too few: it trails the TF-IDF baseline by {gap:.1f} points. "
    "Pretrain it first on unlabelled text and fine-tune it (Train page), or use the bag-of-words "
    "MLP or an ensemble, which learn from few texts.": (
        "从零训练的 Transformer 只能从这 {n:,} 条训练文本中学习词语及其顺序，这些文本太少了："
        "它比 TF-IDF 基线低 {gap:.1f} 个百分点。请先在无标签文本上预训练再微调（训练页面），"
        "或改用能从少量文本中学习的词袋 MLP 或集成模型。"
    ),
    "No baseline to compare with: this run was trained before the dataset was imported again, "
    "and a baseline trained now would be scored on other texts.": (
        "没有可比较的基线：这个运行训练于数据集重新导入之前，现在训练的基线会在另一批文本上评分。"
    ),
    "Run {run} failed: {error}": "运行 {run} 失败：{error}",
    "Run {run} is {state} and has no checkpoint to evaluate: resume or restart it on the Train page.": (
        "运行 {run} {state}，没有可评估的检查点：请在训练页面继续或重新开始它。"
    ),
    "Run {run} is {state}: its checkpoint is kept. Resume it on the Train page; it goes on from there "
    "and is evaluated when it ends.": "运行 {run} {state}：它的检查点已保留。请在训练页面继续它；训练会从那里接着进行，结束时自动评估。",
    "Run {run} failed; its checkpoint is kept. Resume it, or start it again, on the Train page.": (
        "运行 {run} 失败；它的检查点已保留。请在训练页面继续它，或重新开始。"
    ),
    "Open it on Train": "在训练页面打开",
    "Run {run} is {state} and was not evaluated; its last checkpoint is evaluated when you ask.": (
        "运行 {run} {state}，尚未评估；它最后的检查点会在你要求时评估。"
    ),
    "The {shown:,} most confident are listed.": "列出了置信度最高的 {shown:,} 条。",
    "The {shown:,} most confident are listed; the CSV below has them all.": "列出了置信度最高的 {shown:,} 条；下面的 CSV 包含全部。",
    "Run time {duration} (reading the data, training, evaluating and embedding the texts); "
    "{latency:.2f} ms to classify one text (median).": (
        "运行用时 {duration}（读数据、训练、评估和嵌入文本）；分类一条文本用时 {latency:.2f} 毫秒（中位数）。"
    ),
    "The gap to a simple keyword model is small enough to be chance.": "与简单关键词模型的差距很小，可能只是偶然。",
    "The {gap} pt of accuracy above the baseline could be chance: of the {n:,} test texts, this model alone gets "
    "{only_run:,} right and the baseline alone {only_base:,} ({p}).": (
        "准确率比基线高出的 {gap} 个百分点可能只是偶然：在 {n:,} 条测试文本中，只有本模型答对的有 {only_run:,} 条，"
        "只有基线答对的有 {only_base:,} 条（{p}）。"
    ),
    "The {gap} pt of accuracy below the baseline could be chance: of the {n:,} test texts, this model alone gets "
    "{only_run:,} right and the baseline alone {only_base:,} ({p}).": (
        "准确率比基线低的 {gap} 个百分点可能只是偶然：在 {n:,} 条测试文本中，只有本模型答对的有 {only_run:,} 条，"
        "只有基线答对的有 {only_base:,} 条（{p}）。"
    ),
    "Calibrated on its top answers only: its confidence, {confidence} on average, matches how often it is right "
    "({accuracy}), but it never answers {names} right, so its percentages for {names} say little.": (
        "只在它的首选答案上是校准的：它的平均置信度 {confidence} 与答对的比例（{accuracy}）相符，"
        "但它从没答对过 {names}，所以它给 {names} 的百分比说明不了什么。"
    ),
    "Well calibrated: its confidence, {confidence} on average, matches how often it is right ({accuracy}), so its "
    "percentages can be read as they are.": (
        "校准良好：它的平均置信度 {confidence} 与实际答对的比例（{accuracy}）相符，其百分比可以照字面理解。"
    ),
    "Under-confident: it is right more often ({accuracy}) than its confidence says ({confidence} on average), so "
    "its percentages understate it. Bars above the diagonal show where.": (
        "信心不足：它答对的比例（{accuracy}）高于它的平均置信度（{confidence}），其百分比低估了它。"
        "位于对角线上方的柱显示偏差所在。"
    ),
    "Over-confident: its confidence ({confidence} on average) is higher than how often it is right ({accuracy}), "
    "so read its percentages with care. Bars below the diagonal show where.": (
        "过于自信：它的平均置信度（{confidence}）高于它答对的比例（{accuracy}），请谨慎看待其百分比。"
        "位于对角线下方的柱显示偏差所在。"
    ),
    "Right on average only: its confidence, {confidence} on average, matches how often it is right ({accuracy}), "
    "but at a given confidence it is off by {points:.1f} pt on average (the ECE), too sure in some bars and too "
    "unsure in others.": (
        "仅平均而言相符：它的平均置信度 {confidence} 与实际答对的比例（{accuracy}）相符，但在某一置信度上平均偏差 "
        "{points:.1f} 个百分点（ECE）：有的柱过于自信，有的柱信心不足。"
    ),
    "With {n:,} test texts, each bar rests on a few of them: read this as rough.": (
        "测试文本只有 {n:,} 条，每根柱只基于少数几条文本：请把这个结论当作粗略估计。"
    ),
    "Not everywhere: on {count:,} texts where its confidence is {confidence} on average, it is right {accuracy}.": (
        "但并非处处如此：在平均置信度为 {confidence} 的 {count:,} 条文本上，它答对的比例是 {accuracy}。"
    ),
    "Calibrated after training: its scores were divided by {temperature:.2f}, fitted on the validation texts, so "
    "that its confidences match how often it is right there. The predictions are the same.": (
        "训练后已校准：模型的得分除以 {temperature:.2f}（在验证集文本上拟合），使置信度与它在验证集上的正确率相符。预测结果不变。"
    ),
    "Fine-tuned from run **{run}**.": "由运行 **{run}** 微调而来。",
    "Fine-tuned from run **{run}** (deleted since).": "由运行 **{run}** 微调而来（该运行已被删除）。",
    "Fine-tuned from it: {runs}.": "由它微调而来的运行：{runs}。",
    "Experiments fine-tuned {n} run(s) from it.": "实验从它微调出了 {n} 个运行。",
}
