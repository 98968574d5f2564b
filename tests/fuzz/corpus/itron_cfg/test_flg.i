# 0 "test_flg.cfg"
# 1 "test_flg.cfg"
# 1 "test_flg.h" 1
# 3 "test_flg.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_flg.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_flg.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_flg.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_flg.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 9, 4096U, 
# 6 "test_flg.cfg" 3 4
                                                              ((void *)0) 
# 6 "test_flg.cfg"
                                                                   });
CRE_FLG(FLG1, { 0x00U|0x00U, 0x00 });
CRE_FLG(FLG2, { 0x00U|0x02U, 0x00 });
CRE_FLG(FLG3, { 0x00U|0x02U|0x04U, 0x00 });
CRE_ALM(ALM1, { 0U, 1, alm1 });
