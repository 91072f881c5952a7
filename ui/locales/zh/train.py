"""Chinese strings: train."""

STRINGS: dict[str, str] = {
    # page and dataset
    "Train": "训练",
    "Pick a dataset first: load a built-in one or upload a file on the Data page.": (
        "请先选择数据集：在“数据”页加载内置数据集或上传文件。"
    ),
    "Go to Data": "前往数据页",
    "Dataset **{name}** · {rows:,} row(s) · {classes} classes": "数据集：**{name}** · {rows:,} 行 · {classes} 个类别",
    "Dataset **{name}** · {rows:,} row(s) · no classes": "数据集：**{name}** · {rows:,} 行 · 无类别",
    "The active run is not available: {error}": "当前运行不可用：{error}",
    # encoders and tasks
    "Bag-of-words MLP — fast, strong on topics": "词袋 MLP —— 速度快，擅长主题分类",
    "RBF network — learned centres and widths": "RBF 网络 —— 中心与宽度均可学习",
    "Transformer — self-attention, BERT-style": "Transformer —— 自注意力，BERT 风格",
    "TF-IDF + logistic regression (LR) — the baseline": "TF-IDF + 逻辑回归（LR）—— 基线",
    "Pretrained MiniLM (English) — frozen or fine-tuned": "预训练 MiniLM（英文）—— 冻结或微调",
    "Classify (train from scratch)": "分类（从零训练）",
    "Pretrain (masked-language modelling)": "预训练（掩码语言建模）",
    "Fine-tune a saved encoder": "微调已保存的编码器",
    # new run form
    "New run": "新建运行",
    "Task": "任务",
    "Pretraining teaches a Transformer to fill in masked tokens of this dataset's texts (labels are ignored). "
    "Fine-tune it afterwards.": "预训练让 Transformer 学习补全本数据集文本中被掩码的词元（忽略标签），之后再对它进行微调。",
    "No saved encoder to start from yet: train or pretrain one first.": "还没有可作为起点的已保存编码器：请先训练或预训练一个。",
    "Start from": "基于运行",
    "Encoder": "编码器",
    "**Encoder settings**": "**编码器设置**",
    "{encoder}: the architecture and the vocabulary come from the source run.": "{encoder}：架构和词表沿用源运行。",
    "Advanced encoder settings": "编码器高级设置",
    "{fields} at 0 follow the preset ({preset}: {sizes}).": "{fields} 为 0 时沿用预设（{preset}：{sizes}）。",
    "**Training settings**": "**训练设置**",
    "The baseline fits in one pass (scikit-learn); no epochs to choose.": "基线一次拟合完成（scikit-learn），无需设置训练轮数。",
    "Advanced training settings": "训练高级设置",
    "What to freeze": "冻结哪些部分",
    "Mask rate": "掩码比例",
    "Share of tokens the model must fill in. 40% learns faster than BERT's 15% for small models trained from scratch.": (
        "模型需要补全的词元比例。对从零训练的小模型，40% 比 BERT 的 15% 学得更快。"
    ),
    "Run name (optional)": "运行名称（可选）",
    "e.g. {encoder}, first try": "例如：{encoder}，第一次尝试",
    "Left empty, the run is listed under its encoder's name (and its id, which holds the time it started).": (
        "留空时，运行以其编码器的名称列出（以及其编号，编号中含有开始时间）。"
    ),
    "Start": "开始",
    "Queued run {run}": "已加入队列：{run}",
    "Already started: {run}": "已经开始：{run}",
    "Training done; evaluating on the held-out texts…": "训练完成；正在留出文本上评估…",
    "Run **{run}** is training now.": "运行“**{run}**”正在训练。",
    "Watch it": "查看",
    "Could not start: {error}": "无法开始：{error}",
    # controls
    "Stopping…": "正在停止…",
    "Stop": "停止",
    "Resume": "继续",
    "Start again": "重新开始",
    "Same settings, from scratch.": "使用相同设置，从头训练。",
    "Same settings; members that finished are used as they are.": "设置不变；已完成的成员照原样使用。",
    "The saved weights are being evaluated; this is offered again when that has ended.": (
        "正在评估已保存的权重；评估结束后即可再次使用。"
    ),
    "Evaluating the checkpoint in the background": "正在后台评估检查点",
    "The evaluation failed: {error}": "评估失败：{error}",
    "The checkpoint as it stands: test accuracy {accuracy:.4f}.": "当前检查点：测试准确率 {accuracy:.4f}。",
    "See the evaluation": "查看评估",
    "Evaluate this checkpoint": "评估此检查点",
    # live panel
    "Cancelling: it leaves the queue without training.": "正在取消：它将离开队列，不会训练。",
    "Stopping after the current batch; the checkpoint is kept.": "将在当前批次结束后停止，检查点会保留。",
    "Queued: starting as soon as its worker is up.": "排队中：工作进程就绪后立即开始。",
    "This dataset has no labels, so it can pretrain a Transformer. "
    "To classify, load a labelled dataset (or upload this file again with its label column).": (
        "这个数据集没有标签，可以用来预训练 Transformer。要做分类，请加载带标签的数据集（或重新上传此文件并选择标签列）。"
    ),
    "Queued behind 1 run. One training job runs at a time on this machine.": (
        "排队中：前面还有 1 个运行。本机一次只运行一个训练任务。"
    ),
    "Queued behind {ahead} runs. One training job runs at a time on this machine.": (
        "排队中：前面还有 {ahead} 个运行。本机一次只运行一个训练任务。"
    ),
    "Cancelled before it started: nothing was trained. Start again queues it with the same settings.": (
        "在开始前已取消：没有训练任何内容。“重新开始”会以相同设置重新排队。"
    ),
    "Stopped at member {member} of {members}. {done} member(s) finished and are kept: Start again uses them as they are and continues with the member that was stopped.": (
        "在第 {member} 个成员（共 {members} 个）处停止。已完成的 {done} 个成员会保留：“重新开始”会直接使用它们，并从被停止的成员继续。"
    ),
    "Checking the test texts for near-copies of training texts…": "正在检查测试文本中有没有与训练文本几乎相同的…",
    "Resuming: encoding the texts before the next step…": "正在继续：在下一步之前编码文本…",
    "Before the first step: learning the vocabulary and encoding the texts…": "第一步之前：正在学习词表并编码文本…",
    "Fitting the TF-IDF features and the logistic regression: one fit, no epochs…": "正在拟合 TF-IDF 特征和逻辑回归：一次拟合，没有轮次…",
    "Stopped at member {member} of {members}. Start again continues with the member that was stopped.": (
        "在第 {member} 个成员（共 {members} 个）处停止。“重新开始”会从被停止的成员继续。"
    ),
    "Stopped before its first checkpoint, so nothing was kept. Start again trains it with the same settings.": (
        "在第一个检查点之前就已停止，没有保留任何内容。“重新开始”会以相同设置重新训练。"
    ),
    "{progress:.0%} · about {eta} left": "{progress:.0%} · 约剩 {eta}",
    "{progress:.0%} · about {eta} left, less if it stops early": "{progress:.0%} · 约剩 {eta}，提前停止则更短",
    "Epoch": "轮次",
    "Only the corpus's sample (its first texts) was checked: more of them may be in it.": (
        "只检查了语料的样本（它最前面的文本）：实际重合的可能更多。"
    ),
    "{seen:,} of this dataset's {total:,} test texts were among the texts this classifier (or the run it started "
    "from) learned on, labels and all: its test score will flatter it. To measure what starting from it is worth, "
    "start from a run that learned on other texts.": (
        "这个数据集的 {total:,} 条测试文本中，有 {seen:,} 条在这个分类器（或它所基于的运行）学习过的文本里，连同标签一起：它的测试分数会偏高。"
        "要衡量从它开始的价值，请从一个在其他文本上学习的运行开始。"
    ),
    "{seen:,} of this dataset's {total:,} test texts were among the texts this encoder (or the run it started from) learned on: its test score will flatter it. To measure what pretraining is worth, pretrain on texts that leave this dataset's test texts out.": (
        "这个数据集的 {total:,} 条测试文本中，有 {seen:,} 条在这个编码器（或它所基于的运行）学习过的文本里：它的测试分数会偏高。"
        "要衡量预训练的价值，请在不包含这个数据集测试文本的文本上预训练。"
    ),
    "Done: held-out MLM loss {loss:.3f}, masked-token accuracy {accuracy:.3f}, perplexity {perplexity:.1f}. Fine-tune it on a labelled dataset next.": (
        "已完成：留出集 MLM 损失 {loss:.3f}，掩码词元准确率 {accuracy:.3f}，困惑度 {perplexity:.1f}。下一步在有标签的数据集上微调它。"
    ),
    "Stopped in epoch {epoch} of {planned}: it reached its cap of {steps:,} steps (max_steps).": (
        "在第 {epoch} 轮（共 {planned} 轮）停止：已达到 {steps:,} 步的上限（max_steps）。"
    ),
    "Epochs trained": "已训练轮数",
    "Error on the training texts (loss)": "训练文本上的误差（损失）",
    "Done, but nothing in the held-out texts could be masked (none of their tokens is in the vocabulary), so there is no held-out score. Pretrain on texts like the ones it will read.": (
        "已完成，但留出文本中没有可掩码的内容（它们的词元都不在词表里），因此没有留出集分数。请在与它将要读取的文本相似的文本上预训练。"
    ),
    "Train loss": "训练损失",
    "Learning rate": "学习率",
    "Texts/s, recent": "文本/秒（近期）",
    "Over the last 20 steps; the ETA uses this rate.": "按最近 20 步计算；预计剩余时间按此速率估算。",
    "run average {average:,.0f} texts/s": "运行平均 {average:,.0f} 条文本/秒",
    "The run failed: {error}": "运行失败：{error}",
    "Log tail": "日志末尾",
    "(empty)": "（空）",
    "Pretraining needs time to pay: the gains we measured came after about ten passes over the texts (about 30 "
    "minutes on a few thousand). In {seconds:g} seconds it may make fewer; if it ends before ten (the epoch counter "
    "says), fine-tuning from it can score below training from scratch.": (
        "预训练需要时间才有回报：我们测得的提升出现在把文本过了大约十遍之后（几千条文本约需 30 分钟）。"
        "{seconds:g} 秒内可能过不了这么多遍；如果结束时不到十遍（看轮次计数），在它基础上微调的得分可能低于从零训练。"
    ),
    "Pretraining needs time to pay: the gains we measured came after about ten passes over the texts (about 30 "
    "minutes on a few thousand). In {minutes:g} minute(s) it may make fewer; if it ends before ten (the epoch "
    "counter says), fine-tuning from it can score below training from scratch.": (
        "预训练需要时间才有回报：我们测得的提升出现在把文本过了大约十遍之后（几千条文本约需 30 分钟）。"
        "{minutes:g} 分钟内可能过不了这么多遍；如果结束时不到十遍（看轮次计数），在它基础上微调的得分可能低于从零训练。"
    ),
    "Done, but no texts were held out, so there is no held-out score. Fine-tune it on a labelled dataset next.": (
        "已完成，但没有留出任何文本，因此没有留出集得分。接下来可在带标签的数据集上微调它。"
    ),
    "Training done": "训练完成",
    "Evaluating and embedding every text for the map: {share:.0%}": "正在评估并为地图嵌入每条文本：{share:.0%}",
    "The checkpoint as it stands: held-out MLM loss {loss:.3f}, masked-token accuracy "
    "{accuracy:.3f}, perplexity {perplexity:.1f}.": (
        "当前检查点：留出集 MLM 损失 {loss:.3f}，掩码词元准确率 {accuracy:.3f}，困惑度 {perplexity:.1f}。"
    ),
    "The checkpoint is evaluated; this run held out no texts, so it has no held-out score.": (
        "检查点已评估；这个运行没有留出文本，因此没有留出集得分。"
    ),
    "Done: held-out MLM loss {loss:.3f}, perplexity {perplexity:.1f}. Fine-tune it on a labelled dataset next.": (
        "完成：留出集 MLM 损失 {loss:.3f}，困惑度 {perplexity:.1f}。接下来可在带标签的数据集上微调它。"
    ),
    "Measured on only {n:,} test texts: one text more or less right moves accuracy by {step:.1f} pt. "
    "Evaluate says how far to trust it.": "只在 {n:,} 条测试文本上测得：多对或多错一条，准确率就变动 {step:.1f} 个百分点。可信到什么程度，请看“评估”页。",
    "Training done; checking the test texts for near-copies of training texts…": "训练完成；正在检查测试文本中有没有与训练文本几乎相同的…",
    "This encoder's vocabulary has {vocabulary:,} tokens, too few for these texts: it cuts their "
    "words into {ratio:.1f} pieces on average (a fitting vocabulary makes 1 to 1.5), so it reads "
    "fragments, and within its {max_len} tokens about {share:.0%} of a typical text. Pretrain on "
    "more texts (the vocabulary grows with them), or train from scratch.": (
        "这个编码器的词表只有 {vocabulary:,} 个词元，对这些文本来说太少：它平均把一个词切成 {ratio:.1f} 段"
        "（合适的词表是 1 到 1.5 段），读到的只是碎片；在 {max_len} 个词元之内，一条典型文本只读到约 {share:.0%}。"
        "请用更多文本预训练（词表会随之变大），或从头训练。"
    ),
    "Fine-tuning starts from an encoder trained before (a pretraining, or any trained run) and goes on "
    "training it on this dataset's labels: it keeps what that encoder learned, so it needs fewer "
    "labels than training from scratch.": (
        "微调从之前训练好的编码器（一次预训练，或任何训练过的运行）出发，在这个数据集的标签上继续训练："
        "它保留了那个编码器学到的东西，所以比从头训练需要的标签更少。"
    ),
    "Its best member alone, {member}, scores {best:.4f}: the ensemble is {gap:.1f} pt "
    "below it. Evaluate lists every member's score.": (
        "它最好的成员单独使用时（{member}）得分 {best:.4f}：集成比它低 {gap:.1f} 个百分点。“评估”页列出了每个成员的分数。"
    ),
    "Open the ensemble {name}": "打开集成 {name}",
    "Delete the {n} member run(s) trained for it too": "同时删除为它训练的 {n} 个成员运行",
    "Runs the ensemble trained as its members; runs you picked as members are kept.": (
        "集成为自己训练的成员运行；你亲自选作成员的运行会保留。"
    ),
    "With {max_len} tokens, the Transformer reads about {share:.0%} of a typical text here (the first {read:,} or so "
    "of its {length:,} characters); the rest plays no part in what it learns or predicts. Raise max_len for more "
    "(the time grows with it), or compare with a bag-of-words model, which reads each text whole.": (
        "Transformer 只读 {max_len} 个词元，约为这里一条典型文本的 {share:.0%}（{length:,} 个字符中的前 {read:,} 个左右）；"
        "其余部分既不参与学习，也不参与预测。调大 max_len 可以读得更多（训练时间随之增加），"
        "或与词袋模型比较：词袋模型读完整条文本。"
    ),
    "No Transformer of this size has trained on this machine yet. At the pace we measured on one idle "
    "core, {epochs} epochs over {texts:,} texts of about {tokens:,.0f} tokens take about {low:,.0f} "
    "minutes, and up to twice that on a busy machine; early stopping may end it sooner. A time budget "
    "(Advanced training settings) caps it.": (
        "本机还没有训练过这个规模的 Transformer。按我们在一个空闲 CPU 核上测得的速度，在 {texts:,} 条"
        "（每条约 {tokens:,.0f} 个词元）文本上训练 {epochs} 轮约需 {low:,.0f} 分钟，机器繁忙时最多再翻一倍；"
        "提前停止可能让它更早结束。在“高级训练设置”里设置时间预算可以给它封顶。"
    ),
    "At the pace {run} trained at, for texts of this length (about {pace:,.0f} texts/s), {epochs} epochs "
    "over {texts:,} texts take up to about {minutes:,.0f} minutes; early stopping may end it sooner. A "
    "time budget caps it.": (
        "按“{run}”训练时的速度，换算到这些文本的长度（约每秒 {pace:,.0f} 条文本），在 {texts:,} 条文本上训练 "
        "{epochs} 轮最多约需 {minutes:,.0f} 分钟；提前停止可能让它更早结束。设置时间预算可以给它封顶。"
    ),
    "At the pace {run} trained at (about {pace:,.0f} texts/s), {epochs} epochs over {texts:,} texts "
    "take up to about {minutes:,.0f} minutes; early stopping may end it sooner. A time budget caps it.": (
        "按“{run}”训练时的速度（约每秒 {pace:,.0f} 条文本），在 {texts:,} 条文本上训练 {epochs} 轮最多约需 "
        "{minutes:,.0f} 分钟；提前停止可能让它更早结束。设置时间预算可以给它封顶。"
    ),
    "It never gets {names} right: none of the {n:,} test text(s) of that class was classified as {names}. Evaluate "
    "shows each class's scores.": "它从没答对过 {names}：这个类别的 {n:,} 条测试文本没有一条被分到 {names}。“评估”页列出每个类别的得分。",
    "It never gets {n:,} of the {classes:,} classes right ({names}): none of their test texts was classified as "
    "them. Evaluate shows each class's scores.": (
        "{classes:,} 个类别中有 {n:,} 个它从没答对过（{names}）：这些类别的测试文本没有一条被分到它们。“评估”页列出每个类别的得分。"
    ),
    "Done in {duration}: test accuracy {accuracy}, macro-F1 {macro_f1}.": (
        "用时 {duration}完成：测试准确率 {accuracy}，宏平均 F1 {macro_f1}。"
    ),
    "Stopped. The checkpoint is kept: resume it, or evaluate the model as it is.": (
        "已停止。检查点已保留：可以继续训练，或直接评估当前模型。"
    ),
    "Interrupted: {error}": "已中断：{error}",
    "A simple keyword model is training on the same texts, for comparison: its score appears here.": (
        "一个简单的关键词模型正在同一批文本上训练，用于对比：它的得分会显示在这里。"
    ),
    "The TF-IDF + LR baseline is training on the same texts: the comparison appears here when it is done.": (
        "TF-IDF + LR 基线正在同一批文本上训练：训练完成后，对比结果会显示在这里。"
    ),
    "Interrupted: {error} That checkpoint is at epoch {epoch}: what was trained after it is trained again.": (
        "已中断：{error} 该检查点位于第 {epoch} 轮：其后训练的部分会重新训练。"
    ),
    "Interrupted before its first checkpoint: {error} Nothing was kept to resume from; "
    "Start again trains it from scratch with the same settings.": (
        "在第一个检查点之前中断：{error} 没有可供继续的检查点；“重新开始”会以相同设置从头训练。"
    ),
    "Loss": "损失",
    "Accuracy": "准确率",
    "Masked-token accuracy": "掩码词元准确率",
    # queue and runs
    "Queue": "队列",
    "position": "位置",
    "run": "运行",
    "state": "状态",
    "progress": "进度",
    "minutes in the queue": "排队时长（分钟）",
    "Broken run folders ({count})": "损坏的运行文件夹（{count}）",
    "Runs on this dataset": "此数据集上的运行",
    "name": "名称",
    "tags": "标记",
    "encoder": "编码器",
    "task": "任务",
    "accuracy": "准确率",
    "macro-F1": "宏平均 F1",
    "seconds": "用时（秒）",
    # the ensemble
    "Ensemble — averages several encoders, then calibrates the average": "集成 —— 对多个编码器的预测取平均，再加以校准",
    "Chinese text: each bag model also trains over jieba words, a second view of the text. Characters and words make different mistakes; on the two Chinese sets we measured this added 0.4 to 0.9 points.": (
        "中文文本：每个词袋模型也会基于 jieba 分词再训练一次，从另一个角度看文本。按字和按词犯的错误不同；在我们测过的两个中文数据集上，这带来了 0.4 到 0.9 个百分点的提升。"
    ),
    "run: {run}": "已有运行：{run}",
    "Members": "成员",
    "Families marked new train first with their defaults, each as a run of its own; finished runs join as they are. NB-weighted terms: each term weighs by how unevenly the classes use it (the Naive Bayes log-count ratio).": (
        "标为“新训练”的模型族会先用默认设置各自训练为独立的运行；已完成的运行按原样加入。NB 加权词项：每个词项按各类别使用它的不均衡程度加权（朴素贝叶斯对数计数比）。"
    ),
    "Your finished runs {runs} join as they are instead of training again.": "你已完成的运行 {runs} 按原样加入，不再重新训练。",
    "Your fine-tuned Transformer {run} joins the bag models: its share of the vote is chosen on the validation split (none if it does not help). Added this way, a pretrained, fine-tuned Transformer took zh_news from -0.3 to +1.5 points over TF-IDF + LinearSVC.": (
        "你微调过的 Transformer {run} 与词袋模型一起加入：它的投票份额在验证集上选定（若无帮助则为 0）。这样加入后，一个预训练并微调过的 Transformer 让 zh_news 相对 TF-IDF + LinearSVC 的差距从 -0.3 变为 +1.5 个百分点。"
    ),
    "Calibrate each member": "校准每个成员",
    "Vote": "投票权重",
    "Transformers against bag models: the share chosen on the validation split": "Transformer 与词袋模型：份额在验证集上选定",
    "Each member an equal share": "每个成员权重相同",
    "Bag-of-words models tend to make the same mistakes, so three of them would outvote one Transformer that reads word order. The first choice gives the Transformers the share of the vote (0 to 3/4) that fits the validation split best: about half for a pretrained, fine-tuned Transformer on Chinese news and reviews, none for one that does not help.": (
        "词袋模型往往犯同样的错误，三个词袋模型会压过一个读取词序的 Transformer。第一种选择会给 Transformer 在验证集上拟合最好的投票份额（0 到 3/4）：在中文新闻和评论上，预训练并微调过的 Transformer 约占一半；没有帮助的 Transformer 份额为 0。"
    ),
    "Also fit one temperature per member on the validation split before averaging. The average itself is always calibrated; per-member temperatures cost 0.1-0.2 points of accuracy in our benchmarks.": (
        "在取平均之前，也在验证集上为每个成员拟合一个温度参数。平均结果本身总会被校准；在我们的基准测试中，逐成员的温度会让准确率下降 0.1-0.2 个百分点。"
    ),
    "Each new member trains with its family's defaults; then the members' probabilities are averaged.": (
        "每个新成员按其模型族的默认设置训练；然后对各成员的概率取平均。"
    ),
    "{epoch} of {planned}": "{epoch} / {planned}",
    "Stopped early after epoch {epoch} of {planned}: the validation score had not improved for {patience} epoch(s). The best epoch's weights were kept.": (
        "在第 {epoch} 轮（共 {planned} 轮）提前停止：验证分数已连续 {patience} 轮没有提升。保留了最佳一轮的权重。"
    ),
    "Stopped after epoch {epoch} of {planned}; the best epoch's weights were kept.": "在第 {epoch} 轮（共 {planned} 轮）停止；保留了最佳一轮的权重。",
    "Stopped in epoch {epoch} of {planned}: the time budget of {budget} s ran out. The best weights so far were kept.": (
        "在第 {epoch} 轮（共 {planned} 轮）停止：{budget} 秒的时间预算已用完。保留了目前最好的权重。"
    ),
    "Stopped in epoch {epoch} of {planned}: the time budget of {budget} s ran out.": (
        "在第 {epoch} 轮（共 {planned} 轮）停止：{budget} 秒的时间预算已用完。"
    ),
    "Stopped in epoch {epoch} of {planned}.": "在第 {epoch} 轮（共 {planned} 轮）停止。",
    "{texts:,} training texts make {steps:,} step(s) an epoch, so to reach its minimum of "
    "{min_steps:,} steps this run trains {trains:,} epochs, not {epochs:,}.": (
        "{texts:,} 条训练文本每轮只有 {steps:,} 步，为达到最少 {min_steps:,} 步，这次运行会训练 {trains:,} 轮，而不是 {epochs:,} 轮。"
    ),
    "Only {val:,} validation texts to judge by: early stopping on so few stops on noise, so the run "
    "trains at least {min_steps:,} steps first. {texts:,} training texts make {steps:,} step(s) an "
    "epoch: it trains {trains:,} epochs, not {epochs:,}.": (
        "只有 {val:,} 条验证文本可作判断依据：验证文本这么少，提前停止往往只是被噪声触发，所以这次运行至少先训练 "
        "{min_steps:,} 步。{texts:,} 条训练文本每轮 {steps:,} 步：它会训练 {trains:,} 轮，而不是 {epochs:,} 轮。"
    ),
    "Only {val:,} validation texts to judge by: early stopping on so few stops on noise, so the run "
    "trains at least {min_steps:,} steps first, and keeps its best weights from after them. {texts:,} "
    "training texts make {steps:,} step(s) an epoch: it trains {trains:,} epochs, not {epochs:,}.": (
        "只有 {val:,} 条验证文本可作判断依据：验证文本这么少，提前停止往往只是被噪声触发，所以这次运行至少先训练 "
        "{min_steps:,} 步，并只在这之后挑选最好的权重。{texts:,} 条训练文本每轮 {steps:,} 步：它会训练 {trains:,} 轮，"
        "而不是 {epochs:,} 轮。"
    ),
    "Averaged over the recent steps, as the curve below, which redraws every few seconds.": (
        "最近若干步的平均值，与下方曲线的算法一致（曲线每隔几秒才重画一次）。"
    ),
    "Training {phase}": "正在训练 {phase}",
    "new: {member}": "新训练：{member}",
    "Training member {k} of {n}: {name}": "正在训练第 {k} 个成员（共 {n} 个）：{name}",
    "bag-of-words MLP": "词袋 MLP",
    "RBF network": "RBF 网络",
    "Transformer": "Transformer",
    "Weighing the members on the validation split": "正在验证集上确定各成员的权重",
    "Evaluating the ensemble on the test split": "正在测试集上评估集成",
    "Processes (data-parallel)": "进程数（数据并行）",
    "Pretrain in this many processes with torchrun (DistributedDataParallel): each takes its share of every batch and the gradients are summed, so the steps are the same as in one process. On CPU each process needs a core of its own; on a multi-GPU machine use one per GPU.": (
        "用 torchrun（DistributedDataParallel）以这么多个进程预训练：每个进程处理每个批次的一部分，梯度相加，"
        "因此每一步与单进程相同。在 CPU 上每个进程需要独占一个核心；多 GPU 机器上每块 GPU 一个进程。"
    ),
    "{threads} thread(s) per process": "每个进程 {threads} 个线程",
    "{processes} data-parallel processes": "{processes} 个数据并行进程",
    "{memory:.1f} GB of device memory at peak": "设备显存峰值 {memory:.1f} GB",
    "Texts per second in each process: {rates}": "各进程每秒处理文本数：{rates}",
    "Wide and deep": "宽深结合",
    "Adds a bag of NB-weighted word n-grams beside the Transformer's vector. On by default for a pretrained encoder: it is what made pretraining pay at full labels.": (
        "在 Transformer 的向量旁加一个按 NB 加权的词 n-gram 词袋。预训练编码器默认开启：正是它让预训练在全量标注下有收益。"
    ),
    "run {run}": "运行 {run}",  # the id under the live panel's heading
    "run {run} · fine-tuned from run {source}": "运行 {run} · 由运行 {source} 微调而来",
    "run {run} · fine-tuned from run {source} (deleted since)": "运行 {run} · 由运行 {source} 微调而来（该运行已被删除）",
    "No sign of life from its worker (pid {pid}) for {duration}: it may be hung, and Stop cannot reach it. If it "
    "stays so, end it from a terminal (kill {pid}); Resume then continues from the last checkpoint.": (
        "它的工作进程（pid {pid}）已有 {duration} 没有任何动静：可能卡住了，“停止”也无法传达给它。如果一直如此，"
        "请在终端中结束它（kill {pid}）；之后“继续”会从最近的检查点接着训练。"
    ),
    "Pick the members": "选择成员",
    "Pretraining runs are listed first. A trained classifier can be fine-tuned too: its encoder "
    "starts from what it learned, and the classifier head is new.": (
        "预训练运行排在最前面。训练好的分类器也可以微调：它的编码器从已学到的内容出发，分类头是新的。"
    ),
    "Pretraining pays after about ten epochs. With {epochs} epoch(s) it is a quick look: "
    "fine-tuning from it can score below training from scratch.": (
        "预训练大约要十个轮次才见效。{epochs} 个轮次只是初步尝试：在它上面微调，得分可能低于从头训练。"
    ),
    "Fine-tune it on": "用于微调的数据集",
    "Fine-tune it": "微调它",
    "{title} (built-in, loaded on the click)": "{title}（内置，点击时加载）",
    "This encoder knows {share:.0%} of this dataset's tokens (it learned its vocabulary on {source}); "
    "the rest read as unknown, so fine-tuning keeps little of what it learned. Pretrain on texts like "
    "these first, or train from scratch.": (
        "这个编码器只认识本数据集 {share:.0%} 的词元（它的词表学自“{source}”）；其余都会被当作未知词元，"
        "微调时它学到的东西所剩无几。请先在类似的文本上预训练，或从头训练。"
    ),
    "This encoder learned on {learned} texts ({source}) and this dataset is {target}: it reads "
    "{target} as fragments of its {learned} vocabulary, so fine-tuning keeps little of what it "
    "learned. Pretrain on {target} texts first, or train from scratch.": (
        "这个编码器是在{learned}文本（“{source}”）上学的，而本数据集是{target}：它会把{target}拆成自己"
        "{learned}词表里的碎片来读，微调时它学到的东西所剩无几。请先在{target}文本上预训练，或从头训练。"
    ),
    "This encoder knows {share:.0%} of this dataset's tokens (it learned its vocabulary on {source}); "
    "the rest read as unknown, so fine-tuning keeps little of what it learned. Train from scratch on "
    "this dataset instead.": (
        "这个编码器只认识本数据集 {share:.0%} 的词元（它的词表学自“{source}”）；其余都会被当作未知词元，"
        "微调时它学到的东西所剩无几。请改为在本数据集上从头训练。"
    ),
    "This encoder learned on {learned} texts ({source}) and this dataset is {target}: it reads "
    "{target} as fragments of its {learned} vocabulary, so fine-tuning keeps little of what it "
    "learned. Train from scratch on this dataset instead.": (
        "这个编码器是在{learned}文本（“{source}”）上学的，而本数据集是{target}：它会把{target}拆成自己"
        "{learned}词表里的碎片来读，微调时它学到的东西所剩无几。请改为在本数据集上从头训练。"
    ),
    "The encoder it was fine-tuned from knew {share:.0%} of this dataset's tokens; the rest "
    "read as unknown, which holds its score down.": (
        "它微调所用的编码器只认识本数据集 {share:.0%} 的词元；其余都被当作未知词元，这会拉低它的得分。"
    ),
    "Its model file is missing, so it cannot classify; its scores above stand. Start again "
    "trains it anew with the same settings.": "它的模型文件丢失了，无法分类；上面的得分仍然有效。点“重新开始”会用相同设置重新训练它。",
    "Its model file is damaged ({problem}), so it cannot classify; its scores above stand. "
    "Start again trains it anew with the same settings.": (
        "它的模型文件已损坏（{problem}），无法分类；上面的得分仍然有效。点“重新开始”会用相同设置重新训练它。"
    ),
    "about {eta} left for this member, less if it stops early": "本成员约剩 {eta}，提前停止则更短",
    "Run {run} already has these settings and this seed (test accuracy {accuracy:.4f}): another run "
    "learns the same model.": "运行 {run} 已经用了这些设置和这个随机种子（测试准确率 {accuracy:.4f}）：再训练一次只会学出同样的模型。",
    "Run {run} ({state}) already has these settings and this seed: another run learns the same model.": (
        "运行 {run}（{state}）已经用了这些设置和这个随机种子：再训练一次只会学出同样的模型。"
    ),
    "To see how far the score moves by chance, change the seed (Advanced training settings); "
    "to compare, change a setting.": "想看得分随偶然因素变动多少，请改随机种子（训练高级设置）；想做比较，请改某项设置。",
    "To compare, change a setting or pick another encoder.": "想做比较，请改某项设置，或换一种编码器。",
    "Run {run} already has these settings (test accuracy {accuracy:.4f}): another run learns the same model.": (
        "运行 {run} 已经用了这些设置（测试准确率 {accuracy:.4f}）：再训练一次只会学出同样的模型。"
    ),
    "Run {run} ({state}) already has these settings: another run learns the same model.": (
        "运行 {run}（{state}）已经用了这些设置：再训练一次只会学出同样的模型。"
    ),
    "MiniLM learned English: it reads Chinese text as unknown pieces, so on this dataset it "
    "will score far below the bag-of-words MLP. Pick another encoder for Chinese text.": (
        "MiniLM 学的是英文：它把中文读成未知的碎片，因此在这个数据集上的得分会远低于词袋 MLP。"
        "中文文本请选择其他编码器。"
    ),
    "Fix {fields} first: its text cannot be read.": "请先修正 {fields}：其中的文本无法读取。",
    "The run picked to start from is gone (deleted since): pick another.": "选作起点的运行已不存在（之后被删除了）：请另选一个。",
    "The weights of epoch {epoch}, whose validation score was the best, were kept, not those of the last "
    "epoch.": "保留的是验证分数最好的第 {epoch} 轮的权重，而不是最后一轮的。",
    "Run **{run}** is training now, on another dataset: **{dataset}**.": "运行 **{run}** 正在训练，用的是另一个数据集：**{dataset}**。",
    "Its status.json cannot be read: the state shown was read from the run's files.": (
        "它的 status.json 无法读取：这里显示的状态是从运行的文件中推断出来的。"
    ),
    "The TF-IDF + LR baseline scores {base} on the same test texts: this run is {gap:.1f} pt below it.": (
        "在同一批测试文本上，TF-IDF + LR 基线的得分为 {base}：本次运行比它低 {gap:.1f} 个百分点。"
    ),
    "{gap:+.1f} pt against the TF-IDF + LR baseline ({base}) on the same test texts.": (
        "在同一批测试文本上，与 TF-IDF + LR 基线（{base}）相比 {gap:+.1f} 个百分点。"
    ),
    "A simple keyword model scores {base} on the same test texts: this run is {gap:.1f} pt below it.": (
        "在同一批测试文本上，一个简单的关键词模型得分为 {base}：本次运行比它低 {gap:.1f} 个百分点。"
    ),
    "{gap:+.1f} pt against a simple keyword model ({base}) on the same test texts.": (
        "在同一批测试文本上，与一个简单的关键词模型（{base}）相比 {gap:+.1f} 个百分点。"
    ),
    "The baseline learned from all the labels, this run from {share} of them.": (
        "基线使用了全部标签训练，本次运行只用了其中的 {share}。"
    ),
    "The gap could be chance.": "这一差距可能只是偶然。",
    "The gap could be chance ({p}).": "这一差距可能只是偶然（{p}）。",
}
