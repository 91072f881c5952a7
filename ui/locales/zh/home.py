"""Chinese strings: the Home page."""

STRINGS: dict[str, str] = {
    "Recent runs": "最近的运行",
    "Build text encoders from scratch — a bag-of-words MLP, an RBF network or a BERT-style Transformer — "
    "on Chinese or English text, and see what they learned. Train, pretrain and fine-tune in the browser, "
    "then read the scores, the mistakes and the embedding space, always next to a TF-IDF baseline.": (
        "从零开始构建文本编码器——词袋 MLP、RBF 网络或 BERT 式 Transformer——用中文或英文文本训练，"
        "并看清它们学到了什么。在浏览器里训练、预训练和微调，然后查看得分、错误样本和嵌入空间，"
        "始终与 TF-IDF 基线对照。"
    ),
    "Encoder Studio teaches a computer to read Chinese or English texts and sort them (by topic, by tone), then shows what it learned: how often it is right, where it goes wrong, and which texts it sees as alike.": (
        "Encoder Studio 教电脑阅读中文或英文文本并给它们分类（按主题、按情感），然后展示它学到了什么：它答对多少、在哪里出错，以及它认为哪些文本相似。"
    ),
    "Today's model": "今天的模型",
    "**{run}**, trained on **{dataset}**: right on {accuracy:.1%} of the texts it had never seen.": (
        "**{run}**，在 **{dataset}** 上训练：对从没见过的文本，答对 {accuracy:.1%}。"
    ),
    "See how often it is right": "看看它答对多少",
    "Try it on a sentence": "用一句话试试它",
    "See the map of its texts": "看看它的文本地图",
    "Try it in one click": "一键试用",
    "Loads the built-in bilingual starter set (about 5,600 sentences on sports, technology, food and travel) "
    "and trains the default bag-of-words MLP. Training takes 10 to 20 seconds on a laptop CPU; on a new machine the first "
    "map of the texts takes half a minute more.": (
        "载入内置的中英双语入门数据集（约 5,600 句，涵盖体育、科技、美食和旅行），并训练默认的词袋 MLP。"
        "在笔记本电脑的 CPU 上训练需要 10 到 20 秒；在新机器上，第一张文本地图还要再多约半分钟。"
    ),
    "Load the starter data and train": "载入入门数据并训练",
    "Loading the starter dataset…": "正在载入入门数据集…",
    "How it works": "使用流程",
    "1. **Data** — pick a built-in dataset or upload CSV, TSV, JSONL, TXT, Excel or Parquet; read the health report.\n"
    "2. **Train** — choose an encoder and a task (classify, pretrain, fine-tune); watch it learn; stop any time.\n"
    "3. **Evaluate** — accuracy and macro-F1 against the baseline, per-class scores, confusion, calibration, mistakes.\n"
    "4. **Explore** — the embedding map, live answers in the Playground, and runs side by side in Compare.": (
        "1. **数据**——选择内置数据集，或上传 CSV、TSV、JSONL、TXT、Excel 或 Parquet 文件；查看数据健康报告。\n"
        "2. **训练**——选择编码器和任务（分类、预训练、微调）；实时观察学习过程，随时可以停止。\n"
        "3. **评估**——与基线对比的准确率和宏平均 F1、各类别得分、混淆矩阵、校准和错误样本。\n"
        "4. **探索**——嵌入图、试验场中的实时预测，以及在对比页并排比较多个运行。"
    ),
    "You tried it already: test accuracy {accuracy:.1%}.": "你已经试过一次：测试准确率 {accuracy:.1%}。",
    "You tried it already: that run is {state}.": "你已经试过一次：那个运行{state}。",
    "Open that run": "打开那次训练",
}
